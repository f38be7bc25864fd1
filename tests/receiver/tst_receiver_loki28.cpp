// SPDX-License-Identifier: MIT
// Structured metadata answered as Loki 2.8 answered it, a legacy switch: a JSON push
// carrying it fails to parse as a whole, protobuf metadata is dropped silently.
#include "httphelper.h"
#include "refusaltest.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtTest/QtTest>

using namespace RefusalTest;

class tst_ReceiverLoki28 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void metadataAsLoki28_data();
    void metadataAsLoki28();

private:
    TestHttp::Reply push(const QByteArray &wire, const Push &push);

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverLoki28::initTestCase()
{
    QVERIFY2(m_receiver.listen(), qPrintable(m_receiver.errorString()));
}

void tst_ReceiverLoki28::init()
{
    m_receiver.reset();
    m_receiver.setLimits(LokiReceiver::Limits());
}

TestHttp::Reply tst_ReceiverLoki28::push(const QByteArray &wire, const Push &push)
{
    if (wire == "json")
        return TestHttp::pushJson(m_manager, m_receiver.pushUrl(), jsonBody(push));
    return TestHttp::pushProtobuf(m_manager, m_receiver.pushUrl(), protobufBody(push));
}

void tst_ReceiverLoki28::metadataAsLoki28_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<Push>("push");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<int>("stored");
    QTest::addColumn<bool>("metadataStored");

    const qint64 t = 1732406400LL * Second;
    const Push withMetadata {
            {App, {ok(t, "kept"), Value {t + 1, "payment", {{"user_id", "12345"}}}}}};
    // The first offending stream object ends at byte 130 of the body; jsoniter reports up to
    // 10 bytes and up to 50 bytes on either side of that point.
    QTest::newRow("json: the whole push fails to parse")
            << QByteArray("json") << withMetadata << 400
            << QByteArray(
                       R"(loghttp.PushRequest.Streams: []*loghttp.Stream: unmarshalerDecoder: Value is not a string, error found in #10 byte of ...|12345"}]]}]}|..., bigger context ...|2406400000000001","payment",{"user_id":"12345"}]]}]}|...)")
            << 0 << false;
    QTest::newRow("json without metadata") << QByteArray("json") << Push {{App, {ok(t, "kept")}}}
                                           << 204 << QByteArray() << 1 << false;
    QTest::newRow("protobuf: the metadata silently dropped")
            << QByteArray("protobuf") << withMetadata << 204 << QByteArray() << 2 << false;
}

void tst_ReceiverLoki28::metadataAsLoki28()
{
    QFETCH(QByteArray, wire);
    QFETCH(Push, push);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);
    QFETCH(int, stored);
    QFETCH(bool, metadataStored);

    LokiReceiver::Limits limits;
    limits.setRejectOldSamples(false);
    limits.setAllowStructuredMetadata(false);
    limits.setMetadataAsLoki28(true);
    m_receiver.setLimits(limits);
    const TestHttp::Reply reply = this->push(wire, push);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.body, status == 204 ? QByteArray() : answer + '\n');
    QCOMPARE(m_receiver.entryCount(), qint64(stored));
    for (const LokiReceiver::Entry &entry : m_receiver.entries())
        QCOMPARE(!entry.structuredMetadata.isEmpty(), metadataStored);

    // The switch means nothing while metadata is allowed.
    limits.setAllowStructuredMetadata(true);
    m_receiver.setLimits(limits);
    m_receiver.clear();
    QCOMPARE(this->push(wire, push).status, 204);
    QCOMPARE(m_receiver.entryCount(), push.constFirst().values.size());
}

QTEST_GUILESS_MAIN(tst_ReceiverLoki28)
#include "tst_receiver_loki28.moc"
