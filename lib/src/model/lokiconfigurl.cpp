// SPDX-License-Identifier: MIT
// The endpoint of a LokiConfig: reading URLs as users write them, checking the one pushes go
// to, and completing it to the push path.
#include "model/lokiconfig_p.h"

#include "encoding/pushencoder_p.h"

namespace QLoki::detail {

namespace {

const QString &pushPath()
{
    static const QString path = QStringLiteral("/loki/api/v1/push");
    return path;
}

// OTLP/HTTP's logs path, and the prefix under which Loki 3 serves it.
const QString &otlpLogsPath()
{
    static const QString path = QStringLiteral("/v1/logs");
    return path;
}

const QString &lokiOtlpPath()
{
    static const QString path = QStringLiteral("/otlp/v1/logs");
    return path;
}

} // namespace

const QString &lokiEndpointName()
{
    static const QString name = QStringLiteral("loki");
    return name;
}

bool parseAbsoluteUrl(const QString &text, QUrl *out)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return false;
    *out = url;
    return true;
}

void checkLokiEndpoint(const QMap<QString, QUrl> &endpoints, QStringList *errors)
{
    const auto endpoint = endpoints.constFind(lokiEndpointName());
    if (endpoint == endpoints.cend()) {
        errors->append(QStringLiteral(
                "endpoints has no \"loki\" entry, so there is nowhere to push to."));
        return;
    }
    const QUrl &url = *endpoint;
    // Display form: a password in the URL must not end up in a log.
    const QString text = url.toDisplayString();
    if (url.isEmpty()) {
        errors->append(QStringLiteral("endpoints[\"loki\"] is empty; set the Loki server's "
                                      "URL, e.g. http://localhost:3100."));
    } else if (!url.isValid()) {
        errors->append(QStringLiteral("endpoints[\"loki\"] is not a valid URL (%1).")
                               .arg(url.errorString()));
    } else if (url.scheme().isEmpty()) {
        errors->append(QStringLiteral("endpoints[\"loki\"] \"%1\" has no scheme; write it "
                                      "as http://... or https://....")
                               .arg(text));
    } else if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) {
        errors->append(QStringLiteral("endpoints[\"loki\"] \"%1\" uses the scheme \"%2\"; "
                                      "only http and https are supported.")
                               .arg(text, url.scheme()));
    } else if (url.host().isEmpty()) {
        errors->append(QStringLiteral("endpoints[\"loki\"] \"%1\" has no host.").arg(text));
    }
}

} // namespace QLoki::detail

QUrl LokiConfigData::pushUrl() const
{
    using namespace QLoki::detail;
    const auto endpoint = endpoints.constFind(lokiEndpointName());
    if (endpoint == endpoints.cend() || endpoint->isEmpty() || !endpoint->isValid())
        return QUrl();

    QUrl url = *endpoint;
    // Encoded form, so that escapes in a proxy prefix survive the round trip.
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (QLoki::detail::isOtlp(format)) {
        // A collector's endpoint is given whole; a base URL is Loki 3's.
        if (!path.endsWith(otlpLogsPath()))
            path += lokiOtlpPath();
    } else if (!path.endsWith(pushPath())) {
        path += pushPath();
    }
    url.setPath(path, QUrl::TolerantMode);
    return url;
}
