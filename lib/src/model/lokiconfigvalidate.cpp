// SPDX-License-Identifier: MIT
// LokiConfig::validate(): the limits and files of the option table, then the rules that
// concern several options or the content of one.
#include "model/fields_p.h"
#include "model/lokiconfigoptions_p.h"

#include <QtCore/QFile>

using namespace std::chrono_literals;

namespace QLoki::detail {

namespace {

// Where a reserved label comes from, for the validation message; empty when not reserved.
QString reservedLabelSource(const QString &name)
{
    if (name == QLatin1String("app"))
        return QStringLiteral("appName");
    if (name == QLatin1String("environment"))
        return QStringLiteral("environment");
    if (name == QLatin1String("level"))
        return QStringLiteral("the level of each entry");
    return QString();
}

// Headers the pusher sets itself; a user header of the same name would corrupt the request.
bool isManagedHeader(const QString &name)
{
    for (const char *managed : {"content-type", "content-encoding", "content-length", "host"}) {
        if (name.compare(QLatin1String(managed), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// RFC 9110 token characters.
bool isHeaderName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
                || QStringView(u"!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

QString ms(std::chrono::milliseconds d)
{
    return QStringLiteral("%1 ms").arg(d.count());
}

// "bufferSize is 0; it must be at least 1." for an option below its minimum.
void checkMinimum(const LokiConfigData &c, const ConfigOption &option, QStringList *errors)
{
    const OptionMinimum &min = *option.minimum;
    if (min.onlyWith && (c.*min.onlyWith).isEmpty())
        return;
    qint64 value = 0;
    QString shown;
    std::visit(Overloaded{
                       [&](int LokiConfigData::*m) {
                           value = c.*m;
                           shown = QString::number(value);
                       },
                       [&](qint64 LokiConfigData::*m) {
                           value = c.*m;
                           shown = QString::number(value);
                       },
                       [&](std::chrono::milliseconds LokiConfigData::*m) {
                           value = (c.*m).count();
                           shown = ms(c.*m);
                       },
                       [&](auto) { Q_UNREACHABLE(); },
               },
               option.field);
    if (min.exclusive ? value > min.value : value >= min.value)
        return;
    QString bound = min.exclusive ? QStringLiteral("greater than %1").arg(min.value)
            : min.value == 0      ? QStringLiteral("0 or more")
                                  : QStringLiteral("at least %1").arg(min.value);
    if (min.note)
        bound += QStringLiteral(" (%1)").arg(QLatin1String(min.note));
    errors->append(QStringLiteral("%1 is %2; it must be %3.")
                           .arg(QLatin1String(option.name), shown, bound));
}

void checkReadableFile(const char *option, const QString &path, QStringList *errors)
{
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        errors->append(QStringLiteral("%1 \"%2\" cannot be read: %3.")
                               .arg(QLatin1String(option), path, file.errorString()));
}

// Access: never quote a credential in a message.
void checkAccess(const LokiConfigData &c, QStringList *errors)
{
    if (!c.bearerToken.isEmpty() && (!c.username.isEmpty() || !c.password.isEmpty()))
        errors->append(QStringLiteral("bearerToken and username/password are both set; a push "
                                      "carries one Authorization header, so choose one."));
    if (c.username.isEmpty() && !c.password.isEmpty())
        errors->append(QStringLiteral("password is set but username is empty."));
    for (auto it = c.headers.cbegin(); it != c.headers.cend(); ++it) {
        if (!isHeaderName(it.key()))
            errors->append(QStringLiteral("headers has \"%1\", which is not a valid HTTP header "
                                          "name.")
                                   .arg(it.key()));
        else if (isManagedHeader(it.key()))
            errors->append(
                    QStringLiteral("headers has \"%1\", which QLoki sets itself.").arg(it.key()));
        else if (it.key().compare(QLatin1String("authorization"), Qt::CaseInsensitive) == 0
                 && (!c.bearerToken.isEmpty() || !c.username.isEmpty()))
            errors->append(QStringLiteral("headers has \"Authorization\" while username or "
                                          "bearerToken is set; choose one."));
        else if (it.value().contains(QLatin1Char('\n')) || it.value().contains(QLatin1Char('\r')))
            errors->append(
                    QStringLiteral("headers[\"%1\"] contains a line break.").arg(it.key()));
    }
    if (c.clientCertificateFile.isEmpty() != c.clientKeyFile.isEmpty())
        errors->append(QStringLiteral("clientCertificateFile and clientKeyFile go together: "
                                      "mutual TLS needs both."));
}

void checkStaticLabels(const QMap<QString, QString> &labels, QStringList *errors)
{
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        const QString source = reservedLabelSource(it.key());
        if (!source.isEmpty()) {
            errors->append(QStringLiteral("staticLabels has the label \"%1\", which is reserved: "
                                          "it is set from %2.")
                                   .arg(it.key(), source));
        } else if (!isValidLabelName(it.key())) {
            errors->append(QStringLiteral("staticLabels has the label \"%1\", which is not a "
                                          "valid Loki label name (letters, digits and _, not "
                                          "starting with a digit or __); \"%2\" would work.")
                                   .arg(it.key(), sanitizeLabelName(it.key())));
        }
    }
}

// A rule that cannot match, or that matches empty text (and so would put its replacement
// between every two characters), is a mistake: said with its place and Qt's words.
void checkRedactions(const QList<QLoki::Redaction> &rules, QStringList *errors)
{
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QRegularExpression &pattern = rules.at(i).pattern;
        if (!pattern.isValid()) {
            errors->append(QStringLiteral("redactions[%1] has the pattern \"%2\", which is not a "
                                          "valid regular expression: %3 at offset %4.")
                                   .arg(QString::number(i), pattern.pattern(),
                                        pattern.errorString(),
                                        QString::number(pattern.patternErrorOffset())));
        } else if (pattern.match(QString()).hasMatch()) {
            errors->append(QStringLiteral("redactions[%1] has the pattern \"%2\", which matches "
                                          "empty text; it would insert its replacement "
                                          "everywhere.")
                                   .arg(QString::number(i), pattern.pattern()));
        }
    }
}

} // namespace

QStringList validateConfig(const LokiConfigData &c)
{
    QStringList errors;
    if (c.appName.trimmed().isEmpty())
        errors.append(QStringLiteral(
                "appName is empty; it is required and becomes the stream label \"app\"."));
    checkLokiEndpoint(c.endpoints, &errors);

    // What the table says of each option on its own.
    for (const ConfigOption &option : configOptions()) {
        if (option.minimum)
            checkMinimum(c, option, &errors);
        if (const auto *file = std::get_if<FileField>(&option.field))
            checkReadableFile(option.name, c.*file->member, &errors);
    }

    if (c.minBackoff > 0ms && c.minBackoff > c.maxBackoff)
        errors.append(QStringLiteral("minBackoff (%1) is greater than maxBackoff (%2).")
                              .arg(ms(c.minBackoff), ms(c.maxBackoff)));
    // The ring is shipped into the buffer before its trigger: a ring the buffer cannot hold
    // would push its own oldest entries out as soon as it is shipped.
    if (c.contextEntries > 0 && c.bufferSize > 0 && c.contextEntries >= c.bufferSize)
        errors.append(QStringLiteral("contextEntries (%1) is not less than bufferSize (%2); "
                                     "the context ring and the entry that ships it must fit "
                                     "into the buffer.")
                              .arg(c.contextEntries)
                              .arg(c.bufferSize));
    checkAccess(c, &errors);
    checkStaticLabels(c.staticLabels, &errors);
    checkRedactions(c.redactions, &errors);
    return errors;
}

} // namespace QLoki::detail
