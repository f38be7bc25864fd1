// SPDX-License-Identifier: MIT
// LokiConfig::applyEnvironment(): the LOKI_* variables of the option table.
#include "model/lokiconfigoptions_p.h"

namespace QLoki::detail {

namespace {

bool parseBool(const QString &text, bool *out)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("yes")
        || t == QLatin1String("on")) {
        *out = true;
        return true;
    }
    if (t == QLatin1String("false") || t == QLatin1String("0") || t == QLatin1String("no")
        || t == QLatin1String("off")) {
        *out = false;
        return true;
    }
    return false;
}

// `k=v,k2=v2` (labels) or `K: v,K2: v2` (headers); empty items are skipped, so "a=1," and
// ",," are fine.
bool parsePairList(const QString &text, QChar separator, QMap<QString, QString> *out)
{
    QMap<QString, QString> pairs;
    for (const QString &item : text.split(QLatin1Char(','))) {
        if (item.trimmed().isEmpty())
            continue;
        const qsizetype at = item.indexOf(separator);
        if (at < 0)
            return false;
        const QString name = item.left(at).trimmed();
        if (name.isEmpty())
            return false;
        pairs.insert(name, item.mid(at + 1).trimmed());
    }
    *out = pairs;
    return true;
}

// Adds \a text's pairs to \a map; false (and no change) when it cannot be parsed.
bool addPairs(const QString &text, QChar separator, QMap<QString, QString> *map)
{
    QMap<QString, QString> parsed;
    if (!parsePairList(text, separator, &parsed))
        return false;
    for (auto it = parsed.cbegin(); it != parsed.cend(); ++it)
        map->insert(it.key(), it.value());
    return true;
}

// Sets the option from \a value (trimmed, not empty); returns what the value should have
// been when it cannot be parsed, else nullptr.
QByteArray read(LokiConfigData *c, const ConfigOption &option, const QString &value)
{
    return std::visit(
            Overloaded{
                    [&](QString LokiConfigData::*m) {
                        c->*m = value;
                        return QByteArray();
                    },
                    [&](FileField f) {
                        c->*f.member = value;
                        return QByteArray();
                    },
                    [&](bool LokiConfigData::*m) {
                        return parseBool(value, &(c->*m))
                                ? QByteArray()
                                : QByteArrayLiteral("a boolean (true/false, 1/0, yes/no, on/off)");
                    },
                    [&](int LokiConfigData::*m) {
                        bool ok = false;
                        const int n = value.toInt(&ok);
                        if (ok)
                            c->*m = n;
                        return ok ? QByteArray() : QByteArrayLiteral("an integer");
                    },
                    [&](qint64 LokiConfigData::*m) {
                        bool ok = false;
                        const qint64 n = value.toLongLong(&ok);
                        if (ok)
                            c->*m = n;
                        return ok ? QByteArray() : QByteArrayLiteral("an integer");
                    },
                    [&](std::chrono::milliseconds LokiConfigData::*m) {
                        bool ok = false;
                        const double seconds = value.toDouble(&ok);
                        return ok && secondsToDuration(seconds, &(c->*m))
                                ? QByteArray()
                                : QByteArrayLiteral("a number of seconds");
                    },
                    [&](QMap<QString, QUrl> LokiConfigData::*m) {
                        // One URL: the endpoint pushes go to.
                        QUrl url;
                        if (!parseAbsoluteUrl(value, &url))
                            return QByteArrayLiteral("an absolute URL with a scheme and a host");
                        (c->*m).insert(lokiEndpointName(), url);
                        return QByteArray();
                    },
                    [&](QMap<QString, QString> LokiConfigData::*m) {
                        return addPairs(value, QLatin1Char('='), &(c->*m))
                                ? QByteArray()
                                : QByteArrayLiteral(
                                        "a list of name=value pairs separated by commas");
                    },
                    [&](HeaderField f) {
                        return addPairs(value, QLatin1Char(':'), &(c->*f.member))
                                ? QByteArray()
                                : QByteArrayLiteral(
                                        "a list of Name: value pairs separated by commas");
                    },
                    [&](ChoiceField f) {
                        if (f.parse(c, value))
                            return QByteArray();
                        return QByteArray(QByteArray(f.what) + " (" + f.names + ')');
                    },
                    [&](RedactionsField) {
                        // No variable names such an option (rules are set in JSON or C++).
                        return QByteArrayLiteral("settable from the environment");
                    },
            },
            option.field);
}

} // namespace

bool applyEnvironment(LokiConfigData *config, QStringList *errors)
{
    bool ok = true;
    for (const ConfigOption &option : configOptions()) {
        // Unset and empty variables are both ignored, so `LOKI_URL= app` keeps the default.
        if (!option.envVar || qEnvironmentVariableIsEmpty(option.envVar))
            continue;
        const QString value = qEnvironmentVariable(option.envVar).trimmed();
        const QByteArray expected = read(config, option, value);
        if (expected.isEmpty())
            continue;
        ok = false;
        if (errors)
            errors->append(QStringLiteral("%1=\"%2\" is not %3; the value is ignored.")
                                   .arg(QLatin1String(option.envVar), value,
                                        QString::fromLatin1(expected)));
    }
    return ok;
}

} // namespace QLoki::detail
