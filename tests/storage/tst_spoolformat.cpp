// SPDX-License-Identifier: MIT
#include "storage/spoolentry_p.h"
#include "storage/spoolformat_p.h"

#include <QtTest/QtTest>

using namespace QLoki;
using namespace QLoki::detail;
using namespace QLoki::detail::SpoolFormat;

// One batch of one entry: timestamp 1, Info, line "hi", label app=x, metadata k="v\0".
// Written independently with Python's struct and zlib.crc32.
// clang-format off
static const char OneEntryBatchHex[] =
        "514c4b42010000003300000023db53b8"           // "QLKB", 1 entry, 51 bytes, header CRC
        "2b0000009a2465ac"                           // payload length 43, record CRC
        "0100000000000000" "01" "00" "0100" "0100"   // timestamp, level, flags, counts
        "02000000" "6869"                            // line "hi"
        "03000000" "617070" "01000000" "78"          // label app=x
        "01000000" "6b" "02000000" "7600";           // metadata k="v\0"
// clang-format on

static SpooledEntry oneEntry()
{
    SpooledEntry e;
    e.timestampNs = 1;
    e.level = Level::Info;
    e.line = QStringLiteral("hi");
    e.labels = {{QStringLiteral("app"), QStringLiteral("x")}};
    e.metadata = {{QStringLiteral("k"), QString(QStringLiteral("v")) + QChar(0)}};
    return e;
}

static QByteArray segmentWith(const QList<QList<SpooledEntry>> &batches)
{
    QByteArray data = segmentHeader();
    QString error;
    for (const auto &batch : batches) {
        if (!encodeBatch(batch, &data, &error))
            qFatal("encodeBatch: %s", qPrintable(error));
    }
    return data;
}

class tst_SpoolFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void segmentHeaderBytes()
    {
        QCOMPARE(segmentHeader().toHex(), QByteArray("514c4b53504f4f4c0100000000000000"));
        quint32 version = 0;
        QCOMPARE(checkSegmentHeader(segmentHeader(), &version), HeaderStatus::Ok);
        QByteArray newer = segmentHeader();
        newer[8] = 2;
        QCOMPARE(checkSegmentHeader(newer, &version), HeaderStatus::UnsupportedVersion);
        QCOMPARE(version, 2u);
        QCOMPARE(checkSegmentHeader(QByteArray("QLKSPO"), &version), HeaderStatus::Short);
        QCOMPARE(checkSegmentHeader(QByteArray(16, 'x'), &version), HeaderStatus::BadMagic);
    }

    void encodesKnownBytes()
    {
        QByteArray out;
        QString error;
        QVERIFY(encodeBatch({oneEntry()}, &out, &error));
        QCOMPARE(out.toHex(), QByteArray(OneEntryBatchHex));
    }

    void decodesKnownBytes()
    {
        const QByteArray batch = QByteArray::fromHex(OneEntryBatchHex);
        const BatchExtent extent = checkBatch(batch.constData(), batch.size(), 0);
        QCOMPARE(extent.entries, 1u);
        QCOMPARE(extent.size, qint64(batch.size()));
        QList<SpooledEntry> out;
        QCOMPARE(decodeBatch(batch, 0, 10, &out), 1);
        QCOMPARE(out.first(), oneEntry());
    }

    void everyFlippedByteIsDetected()
    {
        const QByteArray batch = QByteArray::fromHex(OneEntryBatchHex);
        for (int i = 0; i < batch.size(); ++i) {
            QByteArray bad = batch;
            bad[i] = char(bad[i] ^ 0x20);
            QVERIFY2(checkBatch(bad.constData(), bad.size(), 0).entries == 0,
                     qPrintable(QString::number(i)));
        }
    }

    void everyTruncationIsDetected()
    {
        const QByteArray batch = QByteArray::fromHex(OneEntryBatchHex);
        for (int n = 0; n < batch.size(); ++n)
            QCOMPARE(checkBatch(batch.constData(), n, 0).entries, 0u);
    }

    void decodesARangeOfABatch()
    {
        QList<SpooledEntry> in;
        for (int i = 0; i < 5; ++i) {
            SpooledEntry e = oneEntry();
            e.timestampNs = i;
            in.append(e);
        }
        QByteArray batch;
        QString error;
        QVERIFY(encodeBatch(in, &batch, &error));
        QList<SpooledEntry> out;
        QCOMPARE(decodeBatch(batch, 2, 2, &out), 2);
        QCOMPARE(out, in.mid(2, 2));
        out.clear();
        QCOMPARE(decodeBatch(batch, 3, 10, &out), 2);
        QCOMPARE(out, in.mid(3));
    }

    void refusesOverLimits()
    {
        QByteArray out("prefix");
        QString error;
        QVERIFY(!encodeBatch({}, &out, &error));
        SpooledEntry many = oneEntry();
        for (int i = 0; i <= MaxPairs; ++i)
            many.metadata.append({QStringLiteral("k"), QString()});
        QVERIFY(!encodeBatch({oneEntry(), many}, &out, &error));
        QVERIFY2(error.contains(QLatin1String("65535")), qPrintable(error));
        QCOMPARE(out, QByteArray("prefix")); // unchanged after a refusal
    }

    void scanFindsTornTail()
    {
        const QList<SpooledEntry> batch {oneEntry(), oneEntry()};
        const QByteArray good = segmentWith({batch, batch});
        const QByteArray data = good + segmentWith({batch}).mid(SegmentHeaderSize).chopped(3);
        const SegmentScan scan = scanSegment(data);
        QCOMPARE(scan.batches.size(), 2);
        QCOMPARE(scan.entries, 4);
        QCOMPARE(scan.validEnd, qint64(good.size()));
        QCOMPARE(scan.corruptRegions, 1);
        QCOMPARE(scan.corruptBytes, qint64(data.size() - good.size()));
        QVERIFY(scan.gaps.isEmpty());
    }

    void scanSkipsAGapAndResumes()
    {
        const QList<SpooledEntry> batch {oneEntry()};
        QByteArray data = segmentWith({batch, batch, batch});
        const qint64 batchSize = (data.size() - SegmentHeaderSize) / 3;
        const qint64 second = SegmentHeaderSize + batchSize;
        data[second + batchSize - 2] = 'X'; // inside the second batch's last record
        const SegmentScan scan = scanSegment(data);
        QCOMPARE(scan.entries, 2);
        QCOMPARE(scan.corruptRegions, 1);
        QCOMPARE(scan.corruptBytes, batchSize);
        QCOMPARE(scan.gaps.size(), 1);
        QCOMPARE(scan.gaps.first().begin, second);
        QCOMPARE(scan.gaps.first().end, second + batchSize);
        QCOMPARE(scan.validEnd, qint64(data.size()));
    }

    void scanDoesNotTrustAMarkerInALine()
    {
        SpooledEntry tricky = oneEntry();
        tricky.line = QStringLiteral("QLKB QLKB QLKB");
        QByteArray data = segmentWith({{tricky}, {tricky}});
        data[SegmentHeaderSize + 13] = 0; // breaks the first batch's header CRC
        const SegmentScan scan = scanSegment(data);
        QCOMPARE(scan.entries, 1);
        QCOMPARE(scan.batches.size(), 1);
        QCOMPARE(scan.corruptRegions, 1);
    }

    void ackSlotKnownBytes()
    {
        AckPosition p;
        p.generation = 7;
        p.segmentId = 3;
        p.batchOffset = 116;
        p.index = 2;
        const QByteArray slot = encodeAckSlot(p);
        QCOMPARE(slot.toHex(),
                 QByteArray("514c4b410100000007000000000000000300000000000000"
                            "740000000000000002000000892519bf"));
        AckPosition back;
        QVERIFY(decodeAckSlot(slot, &back));
        QCOMPARE(back.generation, 7u);
        QCOMPARE(back.segmentId, 3u);
        QCOMPARE(back.batchOffset, qint64(116));
        QCOMPARE(back.index, 2u);
        QByteArray bad = slot;
        bad[20] = 9;
        QVERIFY(!decodeAckSlot(bad, &back));
        QVERIFY(!decodeAckSlot(QByteArray(AckSlotSize, '\0'), &back));
    }

    // Found with fuzz_roundtrip's finding on U+FEFF: the spool read text back with
    // QString::fromUtf8(), which drops a leading U+FEFF, so a replayed entry had lost it.
    void byteOrderMarkSurvivesTheSpool()
    {
        const QString mark(QChar(0xFEFF));
        const PushBatch batch {{WireStream {{{QStringLiteral("app"), mark + QStringLiteral("a")}},
                                            {WireEntry(1, QString(mark + QStringLiteral("line")),
                                                       {{QStringLiteral("k"), mark}})}}}};
        const QList<SpooledEntry> entries = spooledEntries(batch);
        QCOMPARE(entries.first().line, mark + QStringLiteral("line"));
        QCOMPARE(entries.first().metadata.first().second, mark);
        QByteArray data;
        QString error;
        QVERIFY(encodeBatch(entries, &data, &error));
        QList<SpooledEntry> back;
        QCOMPARE(decodeBatch(data, 0, 10, &back), 1);
        QCOMPARE(back, entries);
        const PushBatch replayed = pushBatchOf(back);
        QCOMPARE(replayed.streams.first().labels, batch.streams.first().labels);
        QVERIFY(replayed.streams.first().entries.first() == batch.streams.first().entries.first());
    }

    void pushBatchRoundTrip()
    {
        const LabelList a {{QStringLiteral("app"), QStringLiteral("a")},
                           {QStringLiteral("level"), QStringLiteral("error")}};
        const LabelList b {{QStringLiteral("app"), QStringLiteral("b")}};
        const QList<SpooledEntry> in {
                {1, Level::Error, QStringLiteral("one"), a, {}},
                {2,
                 Level::Info,
                 QStringLiteral("two"),
                 b,
                 {{QStringLiteral("k"), QStringLiteral("v")}}},
                {3, Level::Error, QStringLiteral("three"), a, {}},
        };
        const PushBatch batch = pushBatchOf(in);
        QCOMPARE(batch.streams.size(), 2);
        QCOMPARE(batch.streams[0].labels, a);
        QCOMPARE(batch.streams[0].entries.size(), 2);
        QCOMPARE(batch.streams[0].entries[1].lineText(), QStringLiteral("three"));
        QCOMPARE(batch.streams[1].entries[0].metadataList(), in[1].metadata);
        const QList<SpooledEntry> back = spooledEntries(batch);
        QCOMPARE(back.size(), 3);
        QCOMPARE(back[0], in[0]);
        QCOMPARE(back[1], in[2]);
        QCOMPARE(back[2], in[1]); // no `level` label: Info
    }
};

QTEST_GUILESS_MAIN(tst_SpoolFormat)
#include "tst_spoolformat.moc"
