// SPDX-License-Identifier: MIT
#include "spooltestutil.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <sys/stat.h>

using namespace SpoolTest;

Q_DECLARE_METATYPE(QList<QLoki::detail::SpooledEntry>)

// A batch of one entry() whose line has 38 characters takes exactly 100 bytes: batch
// header 16 + record header 8 + payload (18 fixed + 38 line + 20 for app=spooltest).
static constexpr int HundredByteLine = 38;

class tst_Spool : public QObject
{
    Q_OBJECT

private:
    static SpoolOptions optionsFor(const QString &dir, qint64 segmentBytes = 4 << 20,
                                   qint64 maxBytes = 64 << 20)
    {
        SpoolOptions o;
        o.directory = dir;
        o.segmentBytes = segmentBytes;
        o.maxBytes = maxBytes;
        return o;
    }

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QList<SpooledEntry>>("batch");
        const LabelList app {{QStringLiteral("app"), QStringLiteral("demo")},
                             {QStringLiteral("level"), QStringLiteral("info")}};
        const auto one = [&](const QString &line, LabelList metadata = {}) {
            return QList<SpooledEntry> {
                    {1'700'000'000'123'456'789LL, Level::Info, line, app, std::move(metadata)}};
        };
        QTest::newRow("ascii") << one(QStringLiteral("hello world"));
        QTest::newRow("utf8") << one(QStringLiteral("grüße, 你好, Ελληνικά"));
        QTest::newRow("emoji") << one(QStringLiteral("launch 🚀 done ✅ 👩‍💻"));
        QTest::newRow("nul bytes")
                << one(QStringLiteral("a") + QChar(0) + QStringLiteral("b") + QChar(0));
        QTest::newRow("empty line") << one(QString());
        QTest::newRow("metadata") << one(
                QStringLiteral("request"),
                {{QStringLiteral("trace_id"), QStringLiteral("0af7651916cd43dd")},
                 {QStringLiteral("user"), QStringLiteral("zoë")},
                 {QStringLiteral("empty"), QString()}});
        QTest::newRow("no labels")
                << QList<SpooledEntry> {{-5, Level::Critical, QStringLiteral("x"), {}, {}}};
        QTest::newRow("1 MiB line") << one(QString(1 << 20, QLatin1Char('z')));
        QList<SpooledEntry> mixed;
        for (int i = 0; i < 5; ++i)
            mixed.append({i,
                          Level(i),
                          QStringLiteral("line %1 ✓").arg(i),
                          app,
                          {{QStringLiteral("i"), QString::number(i)}}});
        QTest::newRow("every level") << mixed;
    }

    void roundTrip()
    {
        QFETCH(QList<SpooledEntry>, batch);
        QTemporaryDir tmp;
        Spool spool;
        QString error;
        QVERIFY2(spool.open(optionsFor(tmp.path()), &error), qPrintable(error));
        QCOMPARE(spool.pendingEntries(), 0);
        QVERIFY2(spool.append(batch, &error), qPrintable(error));
        QCOMPARE(spool.pendingEntries(), batch.size());
        QCOMPARE(spool.peek(1000), batch);
        QCOMPARE(spool.peek(1000), batch); // peeking does not remove
        QCOMPARE(spool.acknowledge(int(batch.size())), int(batch.size()));
        QCOMPARE(spool.pendingEntries(), 0);
        QVERIFY(spool.peek(1000).isEmpty());
        const SpoolStats s = spool.stats();
        QCOMPARE(s.appended, quint64(batch.size()));
        QCOMPARE(s.acknowledged, quint64(batch.size()));

        // The same bytes read back by a new instance.
        QVERIFY(spool.append(batch));
        spool.close();
        QVERIFY(spool.open(optionsFor(tmp.path()), &error));
        QCOMPARE(spool.stats().replayed, quint64(batch.size()));
        QCOMPARE(spool.peek(1000), batch);
    }

    void peekReturnsOldestFirstAcrossBatches()
    {
        QTemporaryDir tmp;
        Spool spool;
        QVERIFY(spool.open(optionsFor(tmp.path())));
        for (int b = 0; b < 4; ++b)
            QVERIFY(spool.append(entries(b * 3, 3)));
        QCOMPARE(spool.peek(5), entries(0, 5));
        QCOMPARE(spool.acknowledge(2), 2);
        QCOMPARE(spool.peek(4), entries(2, 4)); // starts inside a batch
        QCOMPARE(spool.acknowledge(4), 4);
        QCOMPARE(spool.peek(100), entries(6, 6));
        // More than peeked: the spool reads ahead by itself.
        QCOMPARE(spool.acknowledge(1), 1);
        QCOMPARE(spool.acknowledge(100), 5);
        QCOMPARE(spool.pendingEntries(), 0);
        QCOMPARE(spool.stats().acknowledged, 12u);
    }

    void persistsAcrossRestarts()
    {
        QTemporaryDir tmp;
        {
            Spool spool;
            QVERIFY(spool.open(optionsFor(tmp.path())));
            for (int b = 0; b < 3; ++b)
                QVERIFY(spool.append(entries(b * 10, 10)));
            QCOMPARE(spool.peek(15).size(), 15);
            QCOMPARE(spool.acknowledge(15), 15); // ends inside the second batch
            QCOMPARE(spool.peek(5).size(), 5); // in flight, never acknowledged
        } // closed without acknowledging: as if the process had died here
        Spool spool;
        QString error;
        QVERIFY2(spool.open(optionsFor(tmp.path()), &error), qPrintable(error));
        QCOMPARE(spool.pendingEntries(), 15);
        QCOMPARE(spool.stats().replayed, 15u);
        QCOMPARE(spool.stats().corruptBatches, 0u);
        QCOMPARE(peekAll(spool), entries(15, 15)); // acknowledged never, the rest in order

        // New entries go after the replayed ones.
        QVERIFY(spool.append(entries(30, 2)));
        QCOMPARE(peekAll(spool), entries(15, 17));
        QCOMPARE(spool.acknowledge(16), 16);
        spool.close();
        QVERIFY(spool.open(optionsFor(tmp.path())));
        QCOMPARE(peekAll(spool), entries(31, 1));
    }

    void segmentsRollOverAndAreDeletedWhenAcknowledged()
    {
        QTemporaryDir tmp;
        Spool spool;
        QVERIFY(spool.open(optionsFor(tmp.path(), 1024)));
        // Ten 100-byte batches fill a segment: 16 + 10 * 100 = 1016 <= 1024.
        for (int i = 0; i < 35; ++i)
            QVERIFY(spool.append(entries(i, 1, HundredByteLine)));
        QCOMPARE(spool.segmentCount(), 4);
        QCOMPARE(segmentFiles(tmp.path()).size(), 4);
        QCOMPARE(spool.bytesOnDisk(), 3 * 1016 + 516);
        QCOMPARE(fileSize(QDir(tmp.path()).filePath(segmentFiles(tmp.path()).first())),
                 qint64(1016));

        QCOMPARE(spool.peek(9).size(), 9);
        QCOMPARE(spool.acknowledge(9), 9);
        QCOMPARE(segmentFiles(tmp.path()).size(), 4); // one entry of the first left
        QCOMPARE(spool.acknowledge(1), 1);
        QCOMPARE(segmentFiles(tmp.path()).size(), 3);
        QCOMPARE(spool.acknowledge(20), 20);
        QCOMPARE(segmentFiles(tmp.path()).size(), 1);
        QCOMPARE(spool.acknowledge(5), 5);
        // The segment being written stays until it is full or the spool is closed.
        QCOMPARE(spool.segmentCount(), 1);
        QCOMPARE(spool.pendingEntries(), 0);
        QVERIFY(spool.append(entries(35, 1, HundredByteLine)));
        QCOMPARE(peekAll(spool), entries(35, 1, HundredByteLine));
        QCOMPARE(spool.acknowledge(1), 1);
        spool.close();
        QVERIFY(spool.open(optionsFor(tmp.path(), 1024)));
        QCOMPARE(spool.pendingEntries(), 0);
        QCOMPARE(segmentFiles(tmp.path()).size(), 0); // consumed: deleted at open
    }

    void batchLargerThanASegmentGetsItsOwn()
    {
        QTemporaryDir tmp;
        Spool spool;
        QVERIFY(spool.open(optionsFor(tmp.path(), 1024)));
        QVERIFY(spool.append(entries(0, 1, HundredByteLine)));
        QVERIFY(spool.append(entries(1, 30, HundredByteLine))); // 2536 bytes
        QVERIFY(spool.append(entries(31, 1, HundredByteLine)));
        QCOMPARE(spool.segmentCount(), 3);
        QCOMPARE(peekAll(spool), entries(0, 32, HundredByteLine));
    }

    void overflowDropsOldestSegment()
    {
        QTemporaryDir tmp;
        Spool spool;
        // Segments of ten 100-byte entries (1016 bytes); four fit in 4096 bytes.
        QVERIFY(spool.open(optionsFor(tmp.path(), 1024, 4096)));
        for (int i = 0; i < 40; ++i)
            QVERIFY(spool.append(entries(i, 1, HundredByteLine)));
        QCOMPARE(spool.stats().droppedOverflow, 0u);
        QCOMPARE(spool.bytesOnDisk(), 4 * 1016);

        // Three of the oldest segment are delivered, then the 41st entry needs room.
        QCOMPARE(spool.peek(3).size(), 3);
        QCOMPARE(spool.acknowledge(3), 3);
        QVERIFY(spool.append(entries(40, 1, HundredByteLine)));
        QCOMPARE(spool.stats().droppedOverflow, 7u); // only the unacknowledged ones
        QCOMPARE(spool.segmentCount(), 4);
        QCOMPARE(spool.bytesOnDisk(), 3 * 1016 + 116);

        for (int i = 41; i < 100; ++i)
            QVERIFY(spool.append(entries(i, 1, HundredByteLine)));
        const SpoolStats s = spool.stats();
        QCOMPARE(s.droppedOverflow, 7u + 5 * 10);
        QCOMPARE(spool.pendingEntries(), 40);
        QCOMPARE(s.appended, s.acknowledged + s.droppedOverflow + quint64(spool.pendingEntries()));
        QVERIFY(spool.bytesOnDisk() <= 4096);
        QCOMPARE(peekAll(spool), entries(60, 40, HundredByteLine));
        QCOMPARE(segmentFiles(tmp.path()).size(), 4);
    }

    void overflowWhileInFlight()
    {
        QTemporaryDir tmp;
        Spool spool;
        QVERIFY(spool.open(optionsFor(tmp.path(), 1024, 2048)));
        for (int i = 0; i < 20; ++i)
            QVERIFY(spool.append(entries(i, 1, HundredByteLine)));
        QCOMPARE(spool.peek(15).size(), 15); // the push on the wire spans both segments
        QVERIFY(spool.append(entries(20, 1, HundredByteLine))); // drops entries 0..9
        QCOMPARE(spool.stats().droppedOverflow, 10u);
        // Of the 15 delivered, only the five still in the spool are removed.
        QCOMPARE(spool.acknowledge(15), 5);
        QCOMPARE(peekAll(spool).first(), entry(15, HundredByteLine));
    }

    void refusesBatchLargerThanTheSpool()
    {
        QTemporaryDir tmp;
        Spool spool;
        QVERIFY(spool.open(optionsFor(tmp.path(), 1024, 2048)));
        QString error;
        QVERIFY(!spool.append(entries(0, 30, HundredByteLine), &error));
        QCOMPARE(spool.error(), Spool::Error::TooLarge);
        QVERIFY2(error.contains(QLatin1String("2536")), qPrintable(error));
        QVERIFY(spool.append(entries(0, 1), &error)); // still usable
        QCOMPARE(spool.pendingEntries(), 1);
    }

    void filesArePrivate()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("a/b/spool"));
        const mode_t old = ::umask(0); // the spool asks for its modes itself
        Spool spool;
        QString error;
        const bool opened = spool.open(optionsFor(dir), &error);
        const bool appended = opened && spool.append(entries(0, 2), &error);
        ::umask(old);
        QVERIFY2(appended, qPrintable(error));
        QCOMPARE(spool.peek(1).size(), 1);
        QCOMPARE(spool.acknowledge(1), 1); // writes spool.ack
        const auto mode = [](const QString &path) {
            struct stat st;
            return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 0777
                                                                         : 0xffff;
        };
        QCOMPARE(mode(dir), 0700u);
        QStringList files = QDir(dir).entryList(QDir::Files);
        QCOMPARE(files.size(), 3);
        for (const QString &name : files)
            QVERIFY2(mode(QDir(dir).filePath(name)) == 0600, qPrintable(name));
        // Allocated whole at open: storing a position on a full disk needs no new block.
        QCOMPARE(fileSize(QDir(dir).filePath(Spool::ackFileName())),
                 SpoolFormat::AckSlotOffsets[1] + SpoolFormat::AckSlotSize);
    }

    void ackPositionSurvivesATornSlot()
    {
        QTemporaryDir tmp;
        {
            Spool spool;
            QVERIFY(spool.open(optionsFor(tmp.path())));
            QVERIFY(spool.append(entries(0, 20)));
            QCOMPARE(spool.acknowledge(5), 5); // generation 1, slot 1
            QCOMPARE(spool.acknowledge(5), 5); // generation 2, slot 0
        }
        QFile ack(QDir(tmp.path()).filePath(Spool::ackFileName()));
        QVERIFY(ack.open(QIODevice::ReadWrite));
        QVERIFY(ack.seek(10));
        QVERIFY(ack.write("\xff", 1) == 1); // the newest slot is torn
        ack.close();
        Spool spool;
        QVERIFY(spool.open(optionsFor(tmp.path())));
        // The older position: five delivered entries come again, none is lost.
        QCOMPARE(peekAll(spool), entries(5, 15));
    }

    void rejectsInvalidOptions()
    {
        Spool spool;
        QString error;
        QVERIFY(!spool.open(SpoolOptions(), &error));
        QCOMPARE(spool.error(), Spool::Error::InvalidOptions);
        QTemporaryDir tmp;
        QVERIFY(!spool.open(optionsFor(tmp.path(), 4096, 1024), &error));
        QCOMPARE(spool.error(), Spool::Error::InvalidOptions);
        QVERIFY(!spool.append(entries(0, 1), &error));
        QCOMPARE(spool.error(), Spool::Error::NotOpen);
        QVERIFY(spool.peek(10).isEmpty());
        QCOMPARE(spool.acknowledge(1), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Spool)
#include "tst_spool.moc"
