// SPDX-License-Identifier: MIT
// LokiReceiver::Limits, Stats and Faults as implicitly shared value classes: one pointer
// wide (a field added later leaves the ABI alone), copies independent once written, setters
// that chain, Loki's defaults, and snapshots that a later push does not change.
#include "httphelper.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtTest/QtTest>

using namespace std::chrono_literals;

class tst_ReceiverValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onePointerWide();
    void limitDefaults_data();
    void limitDefaults();
    void copiesAreIndependent();
    void settersChain();
    void snapshotsStayAsTaken();
};

void tst_ReceiverValues::onePointerWide()
{
    QCOMPARE(sizeof(LokiReceiver::Limits), sizeof(void *));
    QCOMPARE(sizeof(LokiReceiver::Stats), sizeof(void *));
    QCOMPARE(sizeof(LokiReceiver::Faults), sizeof(void *));
}

void tst_ReceiverValues::limitDefaults_data()
{
    QTest::addColumn<qint64>("value");
    QTest::addColumn<qint64>("expected");
    const LokiReceiver::Limits l;
    // Loki's own defaults, then the receiver's where Loki has none.
    QTest::newRow("max_label_names_per_series") << qint64(l.maxLabelNamesPerSeries()) << 15LL;
    QTest::newRow("max_label_name_length") << qint64(l.maxLabelNameLength()) << 1024LL;
    QTest::newRow("max_label_value_length") << qint64(l.maxLabelValueLength()) << 2048LL;
    QTest::newRow("max_line_size") << qint64(l.maxLineSize()) << 256LL * 1024;
    QTest::newRow("reject_old_samples") << qint64(l.rejectOldSamples()) << 1LL;
    QTest::newRow("reject_old_samples_max_age")
            << qint64(l.rejectOldSamplesMaxAge().count()) << 7LL * 24 * 3600 * 1000;
    QTest::newRow("creation_grace_period")
            << qint64(l.creationGracePeriod().count()) << 10LL * 60 * 1000;
    QTest::newRow("allow_structured_metadata") << qint64(l.allowStructuredMetadata()) << 1LL;
    QTest::newRow("the Loki 2.8 switch, off") << qint64(l.metadataAsLoki28()) << 0LL;
    QTest::newRow("max_structured_metadata_size") << l.maxStructuredMetadataSize() << 64LL * 1024;
    QTest::newRow("max_structured_metadata_entries_count")
            << qint64(l.maxStructuredMetadataCount()) << 128LL;
    QTest::newRow("max_chunk_age / 2") << qint64(l.outOfOrderWindow().count()) << 3600LL * 1000;
    QTest::newRow("max_recv_msg_size") << l.maxBodyBytes() << 100LL * 1024 * 1024;
    QTest::newRow("decompressed") << l.maxDecompressedBytes() << 64LL * 1024 * 1024;
    QTest::newRow("streams per push") << qint64(l.maxStreamsPerPush()) << 5000LL;
    QTest::newRow("entries per push") << l.maxEntriesPerPush() << 1000000LL;
    QTest::newRow("store bytes") << l.maxStoredBytes() << 512LL * 1024 * 1024;
    QTest::newRow("max_entries_limit_per_query") << qint64(l.maxEntriesLimitPerQuery()) << 5000LL;
    QTest::newRow("connections") << qint64(l.maxConnections()) << 1024LL;
    QTest::newRow("http_server_idle_timeout") << qint64(l.idleTimeout().count()) << 120LL * 1000;
}

void tst_ReceiverValues::limitDefaults()
{
    QFETCH(qint64, value);
    QFETCH(qint64, expected);
    QCOMPARE(value, expected);
}

void tst_ReceiverValues::copiesAreIndependent()
{
    LokiReceiver::Limits original;
    LokiReceiver::Limits copy = original;
    copy.setMaxLineSize(10);
    QCOMPARE(copy.maxLineSize(), 10);
    QCOMPARE(original.maxLineSize(), 256 * 1024);

    LokiReceiver::Limits moved = std::move(copy);
    QCOMPARE(moved.maxLineSize(), 10);
    LokiReceiver::Limits assigned;
    assigned = moved;
    moved.setMaxLineSize(20);
    QCOMPARE(assigned.maxLineSize(), 10);
    assigned.swap(moved);
    QCOMPARE(assigned.maxLineSize(), 20);
    QCOMPARE(moved.maxLineSize(), 10);

    LokiReceiver::Faults faults;
    LokiReceiver::Faults other = faults;
    other.setFailStatus(429).setDown(true);
    QCOMPARE(faults.failStatus(), 503);
    QVERIFY(!faults.down());
    QCOMPARE(other.failStatus(), 429);
}

void tst_ReceiverValues::settersChain()
{
    LokiReceiver receiver;
    receiver.setLimits(LokiReceiver::Limits().setMaxLineSize(4).setRejectOldSamples(false));
    QCOMPARE(receiver.limits().maxLineSize(), 4);
    QVERIFY(!receiver.limits().rejectOldSamples());
    QCOMPARE(receiver.limits().maxLabelNamesPerSeries(), 15); // untouched: the default

    LokiReceiver::Stats stats;
    stats.setPushRequests(3).setPushesByStatus({{204, 3}});
    QCOMPARE(stats.pushRequests(), 3u);
    QCOMPARE(stats.pushesByStatus().value(204), 3u);
}

void tst_ReceiverValues::snapshotsStayAsTaken()
{
    LokiReceiver receiver;
    QVERIFY(receiver.listen());
    QNetworkAccessManager manager;
    const LokiReceiver::Stats before = receiver.stats();
    const LokiReceiver::Faults faultsBefore = receiver.faults();
    const LokiReceiver::Limits limitsBefore = receiver.limits();
    const QByteArray now = QByteArray::number(QDateTime::currentMSecsSinceEpoch() * 1000000);
    QCOMPARE(TestHttp::pushJson(manager, receiver.pushUrl(),
                                R"({"streams":[{"stream":{"app":"v"},"values":[[")" + now
                                        + R"(","x"]]}]})")
                     .status,
             204);
    receiver.failNextPushes(2, 500);
    receiver.setLimits(LokiReceiver::Limits().setMaxLineSize(1));
    QCOMPARE(before.pushRequests(), 0u);
    QCOMPARE(receiver.stats().pushRequests(), 1u);
    QCOMPARE(receiver.stats().entriesAccepted(), 1u);
    QCOMPARE(faultsBefore.failNextPushes(), 0);
    QCOMPARE(receiver.faults().failNextPushes(), 2);
    QCOMPARE(limitsBefore.maxLineSize(), 256 * 1024);
    QCOMPARE(receiver.limits().maxLineSize(), 1);
}

QTEST_GUILESS_MAIN(tst_ReceiverValues)
#include "tst_receiver_values.moc"
