// SPDX-License-Identifier: MIT
// loki-send's standard input as a process sees it: interrupted by a signal while lines
// wait for the flush interval, a line without an end, a stream that cannot be read.
#include "toolprocess.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

// A value of /proc/<pid>/status ("VmHWM:  1234 kB" -> "1234"); empty when not there.
QByteArray procStatus(qint64 pid, const QByteArray &key)
{
    QFile file(u"/proc/%1/status"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(QByteArray(key + ':')))
            return line.mid(key.size() + 1).trimmed().split(' ').value(0);
    }
    return {};
}

// Whether the process catches \a signalNumber (SigCgt, a hexadecimal mask): loki-send has
// installed its handler, and a signal sent now is handled rather than fatal.
bool catches(qint64 pid, int signalNumber)
{
    bool ok = false;
    const quint64 mask = procStatus(pid, "SigCgt").toULongLong(&ok, 16);
    return ok && (mask & (quint64(1) << (signalNumber - 1))) != 0;
}

qint64 peakRssKiB(qint64 pid) { return procStatus(pid, "VmHWM").toLongLong(); }

QJsonObject parseStats(const QByteArray &out)
{
    const QJsonDocument doc = QJsonDocument::fromJson(out.trimmed());
    return doc.isObject() ? doc.object() : QJsonObject();
}

} // namespace

class TestLokiSendInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void signalDeliversEveryLineRead_data();
    void signalDeliversEveryLineRead();
    void lineWithoutNewlineCostsTheLimit();
    void outageWithLongLinesStaysWithinTheByteBound_data();
    void outageWithLongLinesStaysWithinTheByteBound();
    void readErrorExitsOne();

private:
    //! Starts loki-send with \a arguments, its stdin a pipe the test writes to; the
    //! signals the test sends are not inherited as ignored.
    bool start(QProcess *process, const QStringList &arguments);
    //! Runs loki-send with \a arguments, writing \a lines lines of \a lineBytes bytes to
    //! its standard input; returns its peak RSS in KiB (0 on failure) and its stats.
    qint64 runMeasured(const QStringList &arguments, int lines, int lineBytes,
                       QJsonObject *stats);

    LokiReceiver m_receiver;
};

void TestLokiSendInput::initTestCase()
{
#ifndef Q_OS_LINUX
    QSKIP("reads /proc to see loki-send's signal handlers and memory");
#endif
    QVERIFY2(m_receiver.listen(), qPrintable(m_receiver.errorString()));
}

void TestLokiSendInput::init()
{
    m_receiver.clearFaults();
    m_receiver.reset();
}

bool TestLokiSendInput::start(QProcess *process, const QStringList &arguments)
{
    process->setProcessEnvironment(toolEnvironment());
    // A test started in the background of a script inherits SIGINT as ignored, and so
    // would loki-send, which keeps an ignored signal ignored.
    process->setChildProcessModifier([] {
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    });
    process->start(QStringLiteral(LOKI_SEND_PATH), arguments);
    return process->waitForStarted(10000);
}

void TestLokiSendInput::signalDeliversEveryLineRead_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("name");
    QTest::newRow("SIGINT") << int(SIGINT) << u"SIGINT"_s;
    QTest::newRow("SIGTERM") << int(SIGTERM) << u"SIGTERM"_s;
}

// Ctrl-C on `producer | loki-send` while the lines wait for the next flush: everything
// the producer wrote arrives, the statistics are printed, loki-send ends by the signal.
void TestLokiSendInput::signalDeliversEveryLineRead()
{
    QFETCH(int, signalNumber);
    QFETCH(QString, name);

    // A flush interval and a batch larger than the test, so that every line still waits
    // in the buffer when the signal comes: only the signal's handling can deliver them.
    QProcess process;
    QVERIFY(start(&process,
                  {u"--url"_s, m_receiver.baseUrl().toString(), u"--app"_s, u"tools-signal"_s,
                   u"--flush-interval"_s, u"60"_s, u"--batch-entries"_s, u"5000"_s, u"--stats"_s,
                   u"json"_s}));
    const qint64 pid = process.processId();
    QTRY_VERIFY_WITH_TIMEOUT(catches(pid, SIGINT) && catches(pid, SIGTERM), 10000);

    QByteArray input;
    for (int i = 1; i <= 1000; ++i)
        input += "line " + QByteArray::number(i) + '\n';
    process.write(input);
    while (process.bytesToWrite() > 0)
        QVERIFY(process.waitForBytesWritten(10000));
    // The write end stays open: the producer is still running when the signal comes.
    QCOMPARE(m_receiver.stats().pushRequests(), 0u);

    QSignalSpy finished(&process, &QProcess::finished);
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(::kill(pid_t(pid), signalNumber), 0);
    QVERIFY(finished.wait(30000));
    const QByteArray out = process.readAllStandardOutput();
    const QByteArray err = process.readAllStandardError();
    // Well within --timeout (30 s): nothing here waits for a retry.
    QVERIFY2(clock.elapsed() < 10000, err.constData());

    // Ended by the signal, as shells expect of a program stopped by Ctrl-C.
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
    QCOMPARE(process.exitCode(), signalNumber);
    QVERIFY2(err.contains(QByteArray(name.toUtf8() + ": delivering what was read")),
             err.constData());

    const QJsonObject stats = parseStats(out);
    QVERIFY2(!stats.isEmpty(), out.constData());
    QCOMPARE(stats.value(u"interrupted_by"_s).toString(), name);
    QCOMPARE(stats.value(u"accepted"_s).toInteger(), 1000);
    QCOMPARE(stats.value(u"delivered"_s).toInteger(), 1000);
    QCOMPARE(stats.value(u"dropped"_s).toInteger(), 0);

    QCOMPARE(m_receiver.entryCount(), 1000);
    QSet<QString> lines;
    const QList<LokiReceiver::Entry> entries = m_receiver.entries();
    for (const LokiReceiver::Entry &entry : entries)
        lines.insert(entry.line);
    QCOMPARE(lines.size(), 1000);
    QVERIFY(lines.contains(u"line 1"_s));
    QVERIFY(lines.contains(u"line 1000"_s));
}

// 10 MB without a newline: loki-send holds no more than the line limit while reading, and
// the entry arrives cut, with the true count of the bytes left out.
void TestLokiSendInput::lineWithoutNewlineCostsTheLimit()
{
    constexpr qint64 Size = 10 * 1000 * 1000;
    constexpr int Limit = 256 * 1024; // LokiConfig's default maxLineBytes
    QProcess process;
    QVERIFY(start(&process,
                  {u"--url"_s, m_receiver.baseUrl().toString(), u"--app"_s, u"tools-long"_s,
                   u"--stats"_s, u"json"_s}));
    const qint64 pid = process.processId();
    QTRY_VERIFY_WITH_TIMEOUT(catches(pid, SIGINT), 10000);
    const qint64 before = peakRssKiB(pid);
    QVERIFY(before > 0);

    const QByteArray block(1024 * 1024, 'x');
    for (qint64 written = 0; written < Size; written += block.size())
        process.write(block.first(qMin<qint64>(block.size(), Size - written)));
    while (process.bytesToWrite() > 0)
        QVERIFY(process.waitForBytesWritten(10000));
    // All but what the pipe holds (64 KiB) has been read by now, and the line is open.
    const qint64 growth = peakRssKiB(pid) - before;
    qInfo("peak RSS grew by %lld KiB while reading 10 MB without a newline", growth);
    QVERIFY2(growth < 4 * 1024, QByteArray::number(growth).constData());

    QSignalSpy finished(&process, &QProcess::finished);
    process.closeWriteChannel();
    QVERIFY(finished.wait(30000));
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, err.constData());

    QCOMPARE(m_receiver.entryCount(), 1);
    const QString line = m_receiver.entries().constFirst().line;
    const qint64 kept = line.indexOf(u'\u2026');
    QVERIFY(kept > Limit / 2);
    QCOMPARE(line.left(kept), QString(kept, u'x'));
    QCOMPARE(line.mid(kept), u"\u2026[truncated %1 bytes]"_s.arg(Size - kept));
    QVERIFY(line.toUtf8().size() <= Limit);

    const QJsonObject stats = parseStats(process.readAllStandardOutput());
    QCOMPARE(stats.value(u"lines_cut"_s).toInteger(), 1);
    QCOMPARE(stats.value(u"bytes_cut"_s).toInteger(), Size - kept);
    QCOMPARE(stats.value(u"delivered"_s).toInteger(), 1);
    QVERIFY2(err.contains("1 line longer than 262144 bytes was cut"), err.constData());
}

qint64 TestLokiSendInput::runMeasured(const QStringList &arguments, int lines, int lineBytes,
                                      QJsonObject *stats)
{
    QProcess process;
    if (!start(&process, arguments))
        return 0;
    const qint64 pid = process.processId();
    // VmHWM only grows: sampled until the process ends, its last value is the peak.
    qint64 peak = 0;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &sampler,
                     [&] { peak = qMax(peak, peakRssKiB(pid)); });
    sampler.start(10);
    const QByteArray line = QByteArray(lineBytes - 1, 'x') + '\n';
    for (int i = 0; i < lines; ++i) {
        process.write(line);
        while (process.bytesToWrite() > 0) {
            if (!process.waitForBytesWritten(30000))
                return 0;
        }
        peak = qMax(peak, peakRssKiB(pid));
    }
    QSignalSpy finished(&process, &QProcess::finished);
    process.closeWriteChannel();
    if (!finished.wait(60000))
        return 0;
    *stats = parseStats(process.readAllStandardOutput());
    return peak;
}

void TestLokiSendInput::outageWithLongLinesStaysWithinTheByteBound_data()
{
    QTest::addColumn<QString>("overflow");
    QTest::newRow("drop-oldest") << u"drop-oldest"_s;
    QTest::newRow("drop-newest") << u"drop-newest"_s;
}

// Issue 19's case: lines of 1 MB piped in while nobody listens at the URL. loki-send cuts
// each to the line limit as it reads it, and what waits is bounded by bufferMaxBytes (16 MiB
// by default), and every line is accounted for (dropped as buffer_full, or at the end of
// --timeout as shutdown). The goal is a peak RSS at most a quarter above the bound over a
// run that sends one short line; it measures 17 to 19 MiB, with the odd run at 21 MiB when
// the machine is busy, so the test allows half the bound above it: that still fails the
// 31 MiB and more that held the lines twice.
void TestLokiSendInput::outageWithLongLinesStaysWithinTheByteBound()
{
#if defined(QLOKI_SANITIZED)
    QSKIP("a sanitizer's allocator keeps freed memory in quarantine: RSS says nothing here");
#endif
    QFETCH(QString, overflow);
    constexpr int Lines = 300;
    constexpr qint64 BoundKiB = 16 * 1024; // LokiConfig's default bufferMaxBytes
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const QString url = u"http://127.0.0.1:%1"_s.arg(probe.serverPort());
    probe.close();
    const QStringList arguments {u"--url"_s, url, u"--overflow"_s, overflow, u"--timeout"_s,
                                 u"2"_s, u"--stats"_s, u"json"_s};

    QJsonObject stats;
    const qint64 baseline = runMeasured(arguments, 1, 10, &stats);
    QVERIFY(baseline > 0);
    QCOMPARE(stats.value(u"accepted"_s).toInteger(), 1);
    const qint64 peak = runMeasured(arguments, Lines, 1000 * 1000, &stats);
    QVERIFY(peak > 0);
    const qint64 growth = peak - baseline;
    qInfo("peak RSS %lld KiB, %lld KiB above one short line, for %d lines of 1 MB", peak,
          growth, Lines);
    QVERIFY2(growth <= BoundKiB * 3 / 2, QByteArray::number(growth).constData());

    QVERIFY2(!stats.isEmpty(), "no statistics");
    QCOMPARE(stats.value(u"capacity_bytes"_s).toInteger(), BoundKiB * 1024);
    QCOMPARE(stats.value(u"lines_cut"_s).toInteger(), Lines);
    QCOMPARE(stats.value(u"accepted"_s).toInteger(), Lines);
    QCOMPARE(stats.value(u"delivered"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"pending"_s).toInteger(), 0);
    const QJsonObject byReason = stats.value(u"dropped_by_reason"_s).toObject();
    const qint64 bufferFull = byReason.value(u"buffer_full"_s).toInteger();
    QVERIFY(bufferFull > 0);
    QCOMPARE(bufferFull + byReason.value(u"shutdown"_s).toInteger(), qint64(Lines));
    QCOMPARE(stats.value(u"dropped"_s).toInteger(), Lines);
}

// Standard input that cannot be read (here a directory: read() fails with EISDIR) is an
// error, not an empty input.
void TestLokiSendInput::readErrorExitsOne()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QProcess process;
    process.setStandardInputFile(directory.path());
    QVERIFY(start(&process,
                  {u"--url"_s, m_receiver.baseUrl().toString(), u"--stats"_s, u"json"_s}));
    QSignalSpy finished(&process, &QProcess::finished);
    QVERIFY(finished.wait(30000));
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    QVERIFY2(err.contains("loki-send: cannot read standard input: "), err.constData());

    const QJsonObject stats = parseStats(process.readAllStandardOutput());
    QVERIFY(!stats.value(u"read_error"_s).toString().isEmpty());
    QCOMPARE(stats.value(u"accepted"_s).toInteger(), 0);
    QCOMPARE(m_receiver.stats().pushRequests(), 0u);
}

QTEST_GUILESS_MAIN(TestLokiSendInput)
#include "tst_loki_send_input.moc"
