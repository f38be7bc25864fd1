// SPDX-License-Identifier: MIT
// What the spool does when things break: torn and corrupt files, a second process on
// the same directory, directories that cannot be used, failing writes, and a process
// killed while it appends. The binary is its own child process (see main()).
#include "spooltestutil.h"

#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <sys/resource.h>

using namespace SpoolTest;

namespace {

enum Damage { Truncate, FlipInLastRecord, FlipInLastHeader, Garbage, FlipInMiddle, TornHeader };

constexpr int ChildBatch = 50;

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
}

SpoolOptions optionsFor(const QString &dir)
{
    SpoolOptions o;
    o.directory = dir;
    return o;
}

// The child process: `--hold DIR` keeps the spool open until stdin closes, `--try DIR`
// opens and exits (3 when refused as locked), `--append DIR flush|fsync` appends batches
// of ChildBatch entries and prints each batch's number once append() returned.
int childMain(const QStringList &args)
{
    const QString mode = args.at(1);
    SpoolOptions options = optionsFor(args.at(2));
    if (mode == QLatin1String("--append")) {
        options.segmentBytes = 64 << 10;
        options.durability =
                args.value(3) == QLatin1String("fsync") ? Durability::Fsync : Durability::Flush;
    }
    Spool spool;
    QString error;
    if (!spool.open(options, &error)) {
        std::printf("refused: %s\n", qPrintable(error));
        std::fflush(stdout);
        return spool.error() == Spool::Error::Locked ? 3 : 2;
    }
    if (mode == QLatin1String("--hold")) {
        std::printf("ready\n");
        std::fflush(stdout);
        while (std::getchar() != EOF) { }
        return 0;
    }
    if (mode == QLatin1String("--append")) {
        for (int b = 0; b < 1'000'000; ++b) {
            if (!spool.append(entries(b * ChildBatch, ChildBatch, 80), &error)) {
                std::printf("failed: %s\n", qPrintable(error));
                return 2;
            }
            std::printf("%d\n", b);
            std::fflush(stdout);
        }
    }
    return 0;
}

// The last complete line of the child's output as a number, or -1.
int lastNumber(const QByteArray &output)
{
    const QList<QByteArray> lines = output.left(output.lastIndexOf('\n')).split('\n');
    bool ok = false;
    const int n = lines.isEmpty() ? -1 : lines.last().toInt(&ok);
    return ok ? n : -1;
}

} // namespace

class tst_SpoolRecovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void damagedSegment_data()
    {
        QTest::addColumn<int>("damage");
        QTest::addColumn<int>("amount");
        QTest::newRow("last batch short by 1 byte") << int(Truncate) << 1;
        QTest::newRow("last batch short by 5 bytes") << int(Truncate) << 5;
        QTest::newRow("only the last batch's first byte") << int(Truncate) << -1;
        QTest::newRow("flipped byte in the last record") << int(FlipInLastRecord) << 0;
        QTest::newRow("flipped byte in the last batch header") << int(FlipInLastHeader) << 0;
        QTest::newRow("garbage after the last batch") << int(Garbage) << 37;
        QTest::newRow("flipped byte in a middle batch") << int(FlipInMiddle) << 0;
        QTest::newRow("segment header torn") << int(TornHeader) << 10;
    }

    void damagedSegment()
    {
        QFETCH(int, damage);
        QFETCH(int, amount);
        QTemporaryDir tmp;
        {
            Spool spool;
            QVERIFY(spool.open(optionsFor(tmp.path())));
            for (int b = 0; b < 5; ++b)
                QVERIFY(spool.append(entries(b * 3, 3, 20)));
        }
        const QString path = lastSegment(tmp.path());
        QByteArray data = readFile(path);
        const qint64 header = SpoolFormat::SegmentHeaderSize;
        const qint64 batch = (data.size() - header) / 5;
        const qint64 last = header + 4 * batch;
        QList<SpooledEntry> expected = entries(0, 12, 20);
        qint64 badBytes = batch;
        qint64 sizeAfter = last;
        switch (Damage(damage)) {
        case Truncate:
            if (amount < 0)
                amount = int(batch - 1);
            data.chop(amount);
            badBytes = batch - amount;
            break;
        case FlipInLastRecord:
            data[data.size() - 10] = char(data[data.size() - 10] ^ 1);
            break;
        case FlipInLastHeader:
            data[last + 5] = char(data[last + 5] ^ 0x80);
            break;
        case Garbage:
            data.append(QByteArray(amount, 'x'));
            expected = entries(0, 15, 20);
            badBytes = amount;
            sizeAfter = data.size() - amount;
            break;
        case FlipInMiddle:
            data[header + 2 * batch + batch / 2] = char(data[header + 2 * batch + batch / 2] ^ 4);
            expected = entries(0, 6, 20) + entries(9, 6, 20);
            sizeAfter = data.size(); // the good batches after the gap stay where they are
            break;
        case TornHeader:
            data.truncate(amount);
            expected.clear();
            badBytes = amount;
            sizeAfter = -1; // deleted
            break;
        }
        writeFile(path, data);

        Spool spool;
        QString error;
        QVERIFY2(spool.open(optionsFor(tmp.path()), &error), qPrintable(error));
        QCOMPARE(spool.stats().corruptBatches, 1u);
        QCOMPARE(spool.stats().corruptBytes, quint64(badBytes));
        QCOMPARE(spool.pendingEntries(), expected.size());
        QCOMPARE(spool.stats().replayed, quint64(expected.size()));
        QCOMPARE(peekAll(spool), expected);
        if (sizeAfter < 0)
            QVERIFY(!QFile::exists(path));
        else
            QCOMPARE(fileSize(path), sizeAfter);

        // Still appendable, and a bad tail is counted only once.
        QVERIFY(spool.append(entries(100, 2, 20)));
        spool.close();
        QVERIFY(spool.open(optionsFor(tmp.path())));
        QCOMPARE(spool.stats().corruptBatches, damage == FlipInMiddle ? 1u : 0u);
        QCOMPARE(peekAll(spool), expected + entries(100, 2, 20));
        QCOMPARE(spool.acknowledge(int(expected.size()) + 2), int(expected.size()) + 2);
    }

    void acknowledgedAcrossAGap()
    {
        QTemporaryDir tmp;
        {
            Spool spool;
            QVERIFY(spool.open(optionsFor(tmp.path())));
            for (int b = 0; b < 5; ++b)
                QVERIFY(spool.append(entries(b * 3, 3, 20)));
        }
        const QString path = lastSegment(tmp.path());
        QByteArray data = readFile(path);
        const qint64 batch = (data.size() - SpoolFormat::SegmentHeaderSize) / 5;
        const qint64 middle = SpoolFormat::SegmentHeaderSize + 2 * batch + batch / 2;
        data[middle] = char(data[middle] ^ 1); // entries 6..8 are gone
        writeFile(path, data);
        {
            Spool spool;
            QVERIFY(spool.open(optionsFor(tmp.path())));
            QCOMPARE(spool.peek(7), entries(0, 6, 20) + entries(9, 1, 20));
            QCOMPARE(spool.acknowledge(7), 7);
        }
        Spool spool;
        QVERIFY(spool.open(optionsFor(tmp.path())));
        QCOMPARE(peekAll(spool), entries(10, 5, 20));
    }

    // A crash between storing the read position and deleting the consumed segment.
    void consumedSegmentLeftBehindIsNotReplayed()
    {
        QTemporaryDir tmp;
        SpoolOptions options = optionsFor(tmp.path());
        options.segmentBytes = 1024;
        QByteArray first;
        QString firstPath;
        {
            Spool spool;
            QVERIFY(spool.open(options));
            for (int i = 0; i < 12; ++i)
                QVERIFY(spool.append(entries(i, 1, 60)));
            QVERIFY(spool.segmentCount() > 1);
            firstPath = QDir(tmp.path()).filePath(segmentFiles(tmp.path()).first());
            first = readFile(firstPath);
            const int inFirst = int(SpoolFormat::scanSegment(first).entries);
            QCOMPARE(spool.acknowledge(inFirst), inFirst);
            QVERIFY(!QFile::exists(firstPath));
        }
        writeFile(firstPath, first);
        Spool spool;
        QVERIFY(spool.open(options));
        const int inFirst = int(SpoolFormat::scanSegment(first).entries);
        QCOMPARE(peekAll(spool), entries(inFirst, 12 - inFirst, 60));
        QVERIFY(!QFile::exists(firstPath));
    }

    void newerFormatIsLeftAlone()
    {
        QTemporaryDir tmp;
        QByteArray header = SpoolFormat::segmentHeader();
        header[8] = 2;
        const QString path = QDir(tmp.path()).filePath(Spool::segmentFileName(1));
        writeFile(path, header + QByteArray(100, 'n'));
        Spool spool;
        QString error;
        QVERIFY(!spool.open(optionsFor(tmp.path()), &error));
        QCOMPARE(spool.error(), Spool::Error::UnsupportedFormat);
        QVERIFY2(error.contains(path) && error.contains(QLatin1String("version 2")),
                 qPrintable(error));
        QCOMPARE(fileSize(path), qint64(116));
    }

    void secondSpoolInProcessIsRefused()
    {
        QTemporaryDir tmp;
        Spool first;
        QVERIFY(first.open(optionsFor(tmp.path())));
        Spool second;
        QString error;
        QVERIFY(!second.open(optionsFor(tmp.path()), &error));
        QCOMPARE(second.error(), Spool::Error::Locked);
        QVERIFY2(error.contains(tmp.path()), qPrintable(error));
        QVERIFY2(error.contains(
                         QStringLiteral("process %1").arg(QCoreApplication::applicationPid())),
                 qPrintable(error));
        QVERIFY(!second.append(entries(0, 1)));
        first.close();
        QVERIFY2(second.open(optionsFor(tmp.path()), &error), qPrintable(error));
    }

    void childRefusedWhileParentHolds()
    {
        QTemporaryDir tmp;
        Spool spool;
        QVERIFY(spool.open(optionsFor(tmp.path())));
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--try"), tmp.path()});
        QVERIFY(child.waitForFinished(30000));
        const QString output = QString::fromLocal8Bit(child.readAllStandardOutput());
        QCOMPARE(child.exitCode(), 3);
        QVERIFY2(output.contains(tmp.path()), qPrintable(output));
        QVERIFY2(output.contains(
                         QStringLiteral("process %1").arg(QCoreApplication::applicationPid())),
                 qPrintable(output));
    }

    void parentRefusedWhileChildHolds()
    {
        QTemporaryDir tmp;
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--hold"), tmp.path()});
        QVERIFY(child.waitForReadyRead(30000));
        QCOMPARE(child.readLine().trimmed(), QByteArray("ready"));
        Spool spool;
        QString error;
        QVERIFY(!spool.open(optionsFor(tmp.path()), &error));
        QCOMPARE(spool.error(), Spool::Error::Locked);
        QVERIFY2(error.contains(QStringLiteral("process %1").arg(child.processId())),
                 qPrintable(error));
        // A holder killed without a chance to clean up leaves no stale lock.
        child.kill();
        QVERIFY(child.waitForFinished(30000));
        QVERIFY2(spool.open(optionsFor(tmp.path()), &error), qPrintable(error));
    }

    void unusableDirectory_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("under a regular file") << QStringLiteral("under-file");
        QTest::newRow("a regular file") << QStringLiteral("file");
        QTest::newRow("read-only directory") << QStringLiteral("read-only");
    }

    void unusableDirectory()
    {
        QFETCH(QString, kind);
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("plain"));
        writeFile(file, "x");
        QString dir;
        if (kind == QLatin1String("under-file")) {
            dir = file + QStringLiteral("/spool");
        } else if (kind == QLatin1String("file")) {
            dir = file;
        } else {
            if (ignoresPermissions())
                QSKIP("running as root: mode 0500 does not stop root from writing; the rows "
                      "with a regular file in the path cover the same failure");
            dir = tmp.filePath(QStringLiteral("ro"));
            QVERIFY(QDir().mkdir(dir));
            QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
        }
        Spool spool;
        QString error;
        QVERIFY(!spool.open(optionsFor(dir), &error));
        QCOMPARE(spool.error(), Spool::Error::Directory);
        QVERIFY2(error.contains(dir), qPrintable(error));
        QVERIFY(!spool.append(entries(0, 1), &error));
        QCOMPARE(spool.error(), Spool::Error::NotOpen);
        if (kind == QLatin1String("read-only"))
            QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    void directoryRemovedWhileOpen()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("spool"));
        Spool spool;
        QVERIFY(spool.open(optionsFor(dir)));
        QVERIFY(spool.append(entries(0, 3)));
        QVERIFY(QDir(dir).removeRecursively());
        // The open segment has no name any more: the spool does not write into the void.
        QString error;
        QVERIFY(!spool.append(entries(3, 3), &error));
        QCOMPARE(spool.error(), Spool::Error::Directory);
        QVERIFY2(error.contains(dir) && error.contains(QLatin1String("No such file")),
                 qPrintable(error));
        // The entries that went with the directory are counted as lost.
        QVERIFY(spool.peek(10).isEmpty());
        QCOMPARE(spool.pendingEntries(), 0);
        QCOMPARE(spool.stats().lost, 3u);
        QCOMPARE(spool.stats().corruptBatches, 1u);
        QVERIFY(QDir().mkdir(dir));
        QVERIFY2(spool.append(entries(6, 3), &error), qPrintable(error));
        QCOMPARE(peekAll(spool), entries(6, 3));
        const SpoolStats s = spool.stats();
        QCOMPARE(s.appended, 6u);
        QCOMPARE(s.appended + s.replayed,
                 s.acknowledged + s.droppedOverflow + s.lost + quint64(spool.pendingEntries()));
    }

    // A write that fails half-way (as on a full disk) leaves no trace: the file size
    // limit makes write() stop with EFBIG after the first bytes of the batch.
    void failedWriteIsRolledBack()
    {
        QTemporaryDir tmp;
        Spool spool;
        QVERIFY(spool.open(optionsFor(tmp.path())));
        QVERIFY(spool.append(entries(0, 1)));
        const QString path = lastSegment(tmp.path());
        const qint64 size = fileSize(path);

        struct rlimit old;
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &old), 0);
        struct rlimit limit = old;
        limit.rlim_cur = rlim_t(size + 100);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limit), 0);
        QString error;
        const bool appended = spool.append(entries(1, 20, 100), &error);
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, previousHandler);

        QVERIFY(!appended);
        QCOMPARE(spool.error(), Spool::Error::Io);
        QVERIFY2(error.contains(path)
                         && error.contains(QString::fromLocal8Bit(std::strerror(EFBIG))),
                 qPrintable(error));
        QCOMPARE(fileSize(path), size);
        QCOMPARE(spool.pendingEntries(), 1);
        QVERIFY(spool.append(entries(1, 1), &error));
        spool.close();
        QVERIFY(spool.open(optionsFor(tmp.path())));
        QCOMPARE(spool.stats().corruptBatches, 0u);
        QCOMPARE(peekAll(spool), entries(0, 2));
    }

    void killedWhileAppending_data()
    {
        QTest::addColumn<QString>("durability");
        QTest::newRow("flush") << QStringLiteral("flush");
        QTest::newRow("fsync") << QStringLiteral("fsync");
    }

    void killedWhileAppending()
    {
        QFETCH(QString, durability);
        QTemporaryDir tmp;
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--append"), tmp.path(), durability});
        QByteArray output;
        while (lastNumber(output) < 40) {
            QVERIFY2(child.waitForReadyRead(30000), output.constData());
            output += child.readAllStandardOutput();
        }
        child.kill(); // SIGKILL, somewhere in the middle of an append
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        output += child.readAllStandardOutput();
        const int confirmed = lastNumber(output) + 1;

        Spool spool;
        QString error;
        QVERIFY2(spool.open(optionsFor(tmp.path()), &error), qPrintable(error));
        const SpoolStats s = spool.stats();
        qInfo("%d batches confirmed; found %lld entries, %llu corrupt regions (%llu bytes)",
              confirmed, spool.pendingEntries(), s.corruptBatches, s.corruptBytes);
        QVERIFY(s.corruptBatches <= 1);
        QCOMPARE(spool.pendingEntries() % ChildBatch, 0);
        const int batches = int(spool.pendingEntries() / ChildBatch);
        // Every confirmed batch, and at most the one that was written but not confirmed.
        QVERIFY(batches == confirmed || batches == confirmed + 1);
        QCOMPARE(s.replayed, quint64(spool.pendingEntries()));
        const QList<SpooledEntry> all = peekAll(spool);
        QCOMPARE(all.size(), batches * ChildBatch);
        for (int i = 0; i < all.size(); ++i)
            QCOMPARE(all.at(i), entry(i, 80));
        QCOMPARE(spool.acknowledge(int(all.size())), int(all.size()));
        spool.close();
        QVERIFY(spool.open(optionsFor(tmp.path())));
        QCOMPARE(spool.pendingEntries(), 0);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() >= 3 && args.at(1).startsWith(QLatin1String("--"))
        && QStringList {QStringLiteral("--hold"), QStringLiteral("--try"),
                        QStringLiteral("--append")}
                   .contains(args.at(1)))
        return childMain(args);
    tst_SpoolRecovery test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_spoolrecovery.moc"
