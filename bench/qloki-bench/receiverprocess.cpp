// SPDX-License-Identifier: MIT
#include "receiverprocess.h"

#include <QtCore/QEventLoop>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include <unistd.h>

namespace bench {

ReceiverProcess::~ReceiverProcess() { stop(); }

bool ReceiverProcess::start(const QString &binary)
{
    const QStringList arguments {QStringLiteral("--port"),  QStringLiteral("0"),
                                 QStringLiteral("--quiet"), QStringLiteral("--max-entries"),
                                 QStringLiteral("0"),       QStringLiteral("--counting-only")};
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(binary, arguments);
    if (m_process.waitForStarted(10000)) {
        while (!m_process.canReadLine() && m_process.waitForReadyRead(10000)) { }
        m_baseUrl = QUrl(QString::fromUtf8(m_process.readLine().trimmed()));
    }
    return m_baseUrl.isValid() && m_baseUrl.port() > 0;
}

void ReceiverProcess::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        m_process.waitForFinished(10000);
    }
}

double ReceiverProcess::cpuSeconds() const
{
    std::ifstream in("/proc/" + std::to_string(m_process.processId()) + "/stat");
    const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The fields after the command name (which may hold spaces) start at ") "; utime and
    // stime are fields 14 and 15, the 12th and 13th after it.
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 1; i <= 13 && fields >> field; ++i) {
        if (i >= 12)
            ticks += std::stod(field);
    }
    return ticks / double(sysconf(_SC_CLK_TCK));
}

qint64 ReceiverProcess::acceptedTotal() const
{
    QNetworkAccessManager manager;
    QNetworkRequest request(m_baseUrl.resolved(QUrl(QStringLiteral("/metrics"))));
    std::unique_ptr<QNetworkReply> reply(manager.get(request));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer guard; // ends with the call (a singleShot() would fire later, in another scenario)
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    guard.start(10000);
    if (!reply->isFinished())
        loop.exec();
    const QByteArray body = reply->readAll();
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith("loki_receiver_entries_accepted_total "))
            return line.mid(line.indexOf(' ') + 1).trimmed().toLongLong();
    }
    return -1;
}

} // namespace bench
