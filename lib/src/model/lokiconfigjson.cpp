// SPDX-License-Identifier: MIT
// LokiConfig::fromJson(): the JSON keys of the option table.
#include "model/lokiconfigoptions_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>

#include <cmath>
#include <limits>

namespace QLoki::detail {

namespace {

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("undefined");
}

// Reads the values of a JSON configuration; each reader records one sentence per problem.
class JsonReader
{
public:
    QStringList errors;

    void read(LokiConfigData *c, const QString &key, const QJsonValue &value,
              const OptionField &field)
    {
        std::visit(Overloaded{
                           [&](QString LokiConfigData::*m) { readString(key, value, &(c->*m)); },
                           [&](FileField f) { readString(key, value, &(c->*f.member)); },
                           [&](bool LokiConfigData::*m) { readBool(key, value, &(c->*m)); },
                           [&](int LokiConfigData::*m) { readInt(key, value, &(c->*m)); },
                           [&](qint64 LokiConfigData::*m) { readInt64(key, value, &(c->*m)); },
                           [&](std::chrono::milliseconds LokiConfigData::*m) {
                               readSeconds(key, value, &(c->*m));
                           },
                           [&](QMap<QString, QUrl> LokiConfigData::*m) {
                               readEndpoints(key, value, &(c->*m));
                           },
                           [&](QMap<QString, QString> LokiConfigData::*m) {
                               readLabels(key, value, &(c->*m));
                           },
                           [&](HeaderField f) { readLabels(key, value, &(c->*f.member)); },
                           [&](ChoiceField f) { readChoice(c, key, value, f); },
                           [&](RedactionsField f) { readRedactions(key, value, &(c->*f.member)); },
                   },
                   field);
    }

private:
    void wrongType(const QString &key, const QJsonValue &value, const char *expected)
    {
        errors.append(QStringLiteral("\"%1\" must be %2, not %3.")
                              .arg(key, QLatin1String(expected), jsonTypeName(value)));
    }

    void readString(const QString &key, const QJsonValue &value, QString *out)
    {
        if (!value.isString())
            return wrongType(key, value, "a string");
        *out = value.toString();
    }

    void readBool(const QString &key, const QJsonValue &value, bool *out)
    {
        if (!value.isBool())
            return wrongType(key, value, "true or false");
        *out = value.toBool();
    }

    bool readWhole(const QString &key, const QJsonValue &value, double min, double max,
                   double *out)
    {
        if (!value.isDouble()) {
            wrongType(key, value, "a whole number");
            return false;
        }
        const double d = value.toDouble();
        if (d != std::floor(d)) {
            errors.append(QStringLiteral("\"%1\" must be a whole number, not %2.")
                                  .arg(key, QString::number(d)));
            return false;
        }
        if (d < min || d > max) {
            errors.append(QStringLiteral("\"%1\" is out of range: %2.")
                                  .arg(key, QString::number(d, 'g', 17)));
            return false;
        }
        *out = d;
        return true;
    }

    void readInt(const QString &key, const QJsonValue &value, int *out)
    {
        double d;
        if (readWhole(key, value, std::numeric_limits<int>::min(),
                      std::numeric_limits<int>::max(), &d))
            *out = int(d);
    }

    void readInt64(const QString &key, const QJsonValue &value, qint64 *out)
    {
        // 2^63 is not a double that fits; the largest one below it is.
        double d;
        if (readWhole(key, value, -9.2e18, 9.2e18, &d))
            *out = qint64(d);
    }

    void readSeconds(const QString &key, const QJsonValue &value, std::chrono::milliseconds *out)
    {
        if (!value.isDouble())
            return wrongType(key, value, "a number of seconds");
        if (!secondsToDuration(value.toDouble(), out))
            errors.append(QStringLiteral("\"%1\" is out of range: %2 seconds.")
                                  .arg(key, QString::number(value.toDouble())));
    }

    void readEndpoints(const QString &key, const QJsonValue &value, QMap<QString, QUrl> *out)
    {
        if (!value.isObject())
            return wrongType(key, value, "an object of names and URLs");
        QMap<QString, QUrl> endpoints;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString itemKey = key + QLatin1Char('.') + it.key();
            if (!it.value().isString()) {
                wrongType(itemKey, it.value(), "a URL string");
                continue;
            }
            QUrl url;
            if (!parseAbsoluteUrl(it.value().toString(), &url)) {
                errors.append(QStringLiteral(
                                      "\"%1\" is not an absolute URL with a scheme and a host: "
                                      "\"%2\".")
                                      .arg(itemKey, it.value().toString()));
                continue;
            }
            endpoints.insert(it.key(), url);
        }
        *out = endpoints;
    }

    void readLabels(const QString &key, const QJsonValue &value, QMap<QString, QString> *out)
    {
        if (!value.isObject())
            return wrongType(key, value, "an object of names and string values");
        QMap<QString, QString> labels;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!it.value().isString()) {
                wrongType(key + QLatin1Char('.') + it.key(), it.value(), "a string");
                continue;
            }
            labels.insert(it.key(), it.value().toString());
        }
        *out = labels;
    }

    // [{"pattern": "…", "replacement": "…"}, …]: the patterns are checked by validate().
    void readRedactions(const QString &key, const QJsonValue &value, QList<QLoki::Redaction> *out)
    {
        if (!value.isArray())
            return wrongType(key, value, "an array of {\"pattern\", \"replacement\"} objects");
        QList<QLoki::Redaction> rules;
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString itemKey = QStringLiteral("%1[%2]").arg(key).arg(i);
            const QJsonValue item = array.at(i);
            if (!item.isObject()) {
                wrongType(itemKey, item, "an object with \"pattern\" and \"replacement\"");
                continue;
            }
            const QJsonObject object = item.toObject();
            QLoki::Redaction rule;
            for (auto it = object.begin(); it != object.end(); ++it) {
                const QString field = itemKey + QLatin1Char('.') + it.key();
                if (it.key() == QLatin1String("pattern")) {
                    if (!it.value().isString())
                        wrongType(field, it.value(), "a string");
                    else
                        rule.pattern.setPattern(it.value().toString());
                } else if (it.key() == QLatin1String("replacement")) {
                    if (!it.value().isString())
                        wrongType(field, it.value(), "a string");
                    else
                        rule.replacement = it.value().toString();
                } else {
                    errors.append(QStringLiteral("Unknown key \"%1\".").arg(field));
                }
            }
            if (!object.contains(QLatin1String("pattern")))
                errors.append(QStringLiteral("\"%1\" has no \"pattern\".").arg(itemKey));
            rules.append(rule);
        }
        *out = rules;
    }

    void readChoice(LokiConfigData *c, const QString &key, const QJsonValue &value,
                    const ChoiceField &field)
    {
        if (!value.isString())
            return wrongType(key, value, "a string");
        if (!field.parse(c, value.toString()))
            errors.append(QStringLiteral("\"%1\" is \"%2\"; it must be one of %3.")
                                  .arg(key, value.toString(), QLatin1String(field.names)));
    }
};

} // namespace

std::optional<LokiConfigData> configFromJson(const QByteArray &json, QString *error)
{
    const auto failWith = [error](const QString &message) -> std::optional<LokiConfigData> {
        if (error)
            *error = message;
        return std::nullopt;
    };

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failWith(QStringLiteral("The configuration is not valid JSON: %1 at offset %2.")
                                .arg(parseError.errorString())
                                .arg(parseError.offset));
    if (!doc.isObject())
        return failWith(QStringLiteral("The configuration must be a JSON object."));

    LokiConfigData c;
    JsonReader r;
    const QJsonObject object = doc.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (const ConfigOption *option = findJsonOption(it.key()))
            r.read(&c, it.key(), it.value(), option->field);
        else
            r.errors.append(QStringLiteral("Unknown key \"%1\".").arg(it.key()));
    }
    if (!r.errors.isEmpty())
        return failWith(r.errors.join(QLatin1Char(' ')));
    return c;
}

} // namespace QLoki::detail
