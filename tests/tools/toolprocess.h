// SPDX-License-Identifier: MIT
// Runs a command-line program to its end while the test thread's event loop keeps
// serving the in-process receiver.
#pragma once

#include <QtCore/QProcess>
#include <QtCore/QProcessEnvironment>
#include <QtCore/QStringList>
#include <QtTest/QSignalSpy>

struct ToolRun
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    //! A line for failure messages.
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + "; stdout: " + out + "; stderr: " + err;
    }
};

//! The environment of the test without any LOKI_* variable, plus \a extra.
inline QProcessEnvironment toolEnvironment(const QMap<QString, QString> &extra = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &key : keys) {
        if (key.startsWith(QLatin1String("LOKI_")))
            env.remove(key);
    }
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

/*!
    Starts \a program with \a arguments, writes \a input to its stdin and closes it, and
    waits for it to end, at most \a timeoutMs, running the event loop meanwhile.
*/
inline ToolRun runTool(const QString &program, const QStringList &arguments,
                       const QByteArray &input = {},
                       const QProcessEnvironment &env = toolEnvironment(),
                       int timeoutMs = 60000)
{
    ToolRun run;
    QProcess process;
    process.setProcessEnvironment(env);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(program, arguments);
    if (!process.waitForStarted(10000)) {
        run.err = process.errorString().toUtf8();
        return run;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (finished.isEmpty() && !finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
    } else {
        run.finished = process.exitStatus() == QProcess::NormalExit;
        run.exitCode = process.exitCode();
    }
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}
