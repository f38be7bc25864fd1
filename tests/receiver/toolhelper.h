// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtTest/QSignalSpy>

// curl and loki-receiver as child processes, for tests that use the receiver from the
// outside. Waits are bounded; none sleeps.
namespace TestTools {

struct CurlResult
{
    //! curl's exit code (-1 when it did not run or finish); 0 for any HTTP answer.
    int exitCode = -1;
    //! The HTTP status; 0 without an answer.
    int status = 0;
    QByteArray body;
    //! curl's error message (`-S`), or why curl did not run.
    QByteArray error;
};

/*!
    Runs curl with `-s -S -w "\n%{http_code}"` and \a arguments. The event loop runs
    meanwhile, so a receiver in the calling thread can answer.
*/
inline CurlResult curl(const QStringList &arguments, int timeoutMs = 30000)
{
    CurlResult result;
    const QString program = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (program.isEmpty()) {
        result.error = "curl is required (scripts/bootstrap installs it)";
        return result;
    }
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(program,
                  QStringList {QStringLiteral("-s"), QStringLiteral("-S"), QStringLiteral("-w"),
                               QStringLiteral("\n%{http_code}")}
                          + arguments);
    if (!process.waitForStarted(10000)) {
        result.error = "curl did not start";
        return result;
    }
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.error = "curl did not finish";
        return result;
    }
    result.exitCode = process.exitCode();
    result.error = process.readAllStandardError();
    QByteArray output = process.readAllStandardOutput();
    const qsizetype newline = output.lastIndexOf('\n');
    result.status = output.mid(newline + 1).toInt();
    output.truncate(qMax<qsizetype>(newline, 0));
    result.body = output;
    return result;
}

//! Starts \a binary (loki-receiver) with \a arguments and reads the URL it prints first.
inline bool startReceiver(QProcess &process, const QString &binary, const QStringList &arguments,
                          QUrl *url)
{
    process.start(binary, arguments);
    if (!process.waitForStarted(10000))
        return false;
    while (!process.canReadLine()) {
        if (!process.waitForReadyRead(10000))
            return false;
    }
    *url = QUrl(QString::fromUtf8(process.readLine().trimmed()));
    return url->isValid() && url->port() > 0;
}

} // namespace TestTools
