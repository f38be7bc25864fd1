// SPDX-License-Identifier: MIT
// loki-send's LineReader: lines split as they are read, whatever the chunks, and a line
// over the limit cut (or handed on to be refused) with the bytes it loses counted.
#include "linereader.h"

#include <QLoki/LokiConfig>

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

QString cutLine(const QByteArray &kept, qint64 leftOut)
{
    return QString::fromUtf8(kept) + u"\u2026[truncated %1 bytes]"_s.arg(leftOut);
}

} // namespace

class TestLineReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lines_data();
    void lines();
    void holdsNoMoreThanTheLimit();
    void cutLineHoldsNoSpareCapacity_data();
    void cutLineHoldsNoSpareCapacity();
};

void TestLineReader::lines_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<QLoki::LineLimitPolicy>("policy");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<quint64>("linesCut");
    QTest::addColumn<quint64>("bytesCut");

    const auto truncate = QLoki::LineLimitPolicy::Truncate;
    const auto reject = QLoki::LineLimitPolicy::Reject;
    // "…[truncated 70 bytes]" is 23 bytes: a limit of 40 keeps 17.
    QTest::newRow("plain lines") << 40 << truncate << QByteArray("a\nbb\nccc\n")
                                 << QStringList {u"a"_s, u"bb"_s, u"ccc"_s} << 0ull << 0ull;
    QTest::newRow("empty lines skipped, CR dropped, last line without newline")
            << 40 << truncate << QByteArray("a\r\n\n\r\nb\r\nlast")
            << QStringList {u"a"_s, u"b"_s, u"last"_s} << 0ull << 0ull;
    QTest::newRow("exactly the limit, with CRLF") << 10 << truncate << QByteArray("0123456789\r\n")
                                                  << QStringList {u"0123456789"_s} << 0ull << 0ull;
    QTest::newRow("one over the limit")
            << 40 << truncate << QByteArray(41, 'x') + '\n'
            << QStringList {cutLine(QByteArray(17, 'x'), 24)} << 1ull << 24ull;
    QTest::newRow("long line then a short one")
            << 40 << truncate << QByteArray(87, 'y') + "\r\nnext\n"
            << QStringList {cutLine(QByteArray(17, 'y'), 70), u"next"_s} << 1ull << 70ull;
    QTest::newRow("long line without newline")
            << 40 << truncate << QByteArray(87, 'z')
            << QStringList {cutLine(QByteArray(17, 'z'), 70)} << 1ull << 70ull;
    // 16 bytes of ASCII, then "é" (2 bytes) would straddle the 17-byte cut: it goes whole.
    QTest::newRow("cut at a character boundary")
            << 40 << truncate << QByteArray(16, 'a') + QByteArray("\xc3\xa9").repeated(20) + '\n'
            << QStringList {cutLine(QByteArray(16, 'a'), 40)} << 1ull << 40ull;
    QTest::newRow("reject: handed on one byte over the limit")
            << 40 << reject << QByteArray(100, 'r') + "\nok\n"
            << QStringList {QString(41, u'r'), u"ok"_s} << 1ull << 100ull;
}

void TestLineReader::lines()
{
    QFETCH(int, limit);
    QFETCH(QLoki::LineLimitPolicy, policy);
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    QFETCH(quint64, linesCut);
    QFETCH(quint64, bytesCut);

    // The same lines whatever the chunks: whole, byte by byte, and in threes.
    for (const qsizetype chunk : {input.size(), qsizetype(1), qsizetype(3)}) {
        LineReader reader(limit, policy);
        QStringList lines;
        const LineReader::Sink sink = [&lines](const QString &line) { lines << line; };
        for (qsizetype at = 0; at < input.size(); at += chunk)
            reader.feed(QByteArrayView(input).sliced(at, qMin(chunk, input.size() - at)), sink);
        reader.finish(sink);
        QCOMPARE(lines, expected);
        QCOMPARE(reader.linesCut(), linesCut);
        QCOMPARE(reader.bytesCut(), bytesCut);
    }
}

void TestLineReader::holdsNoMoreThanTheLimit()
{
    LineReader reader(1024, QLoki::LineLimitPolicy::Truncate);
    int lines = 0;
    const LineReader::Sink sink = [&lines](const QString &) { ++lines; };
    const QByteArray chunk(64 * 1024, 'x');
    for (int i = 0; i < 160; ++i) { // 10 MiB, no newline
        reader.feed(chunk, sink);
        QVERIFY(reader.bytesHeld() <= 1025);
    }
    QCOMPARE(lines, 0);
    reader.feed("\n", sink);
    QCOMPARE(lines, 1);
    QCOMPARE(reader.bytesHeld(), 0);
    // The marker "…[truncated 10485760 bytes]" takes 29 of the 1,024 bytes.
    QCOMPARE(reader.bytesCut(), quint64(160 * 64 * 1024 - (1024 - 29)));
}

void TestLineReader::cutLineHoldsNoSpareCapacity_data()
{
    QTest::addColumn<QLoki::LineLimitPolicy>("policy");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("cut");

    const auto truncate = QLoki::LineLimitPolicy::Truncate;
    const QByteArray han("\xe6\x97\xa5"); // 日: 3 bytes, 1 UTF-16 unit
    QTest::newRow("ASCII, cut") << truncate << QByteArray(1 << 20, 'x') << true;
    QTest::newRow("ASCII, within the limit") << truncate << QByteArray(200000, 'x') << false;
    QTest::newRow("Chinese, cut") << truncate << han.repeated(1 << 18) << true;
    QTest::newRow("Chinese, within the limit") << truncate << han.repeated(80000) << false;
    QTest::newRow("ASCII, refused") << QLoki::LineLimitPolicy::Reject << QByteArray(1 << 20, 'x')
                                    << true;
}

// Regression: a line cut at the limit was built as the kept text plus the marker, a QString
// grown to about twice its length by the append. The logger counts a waiting line by its
// length, so 1,000 lines of 1 MB held about twice the buffer's byte bound in loki-send.
void TestLineReader::cutLineHoldsNoSpareCapacity()
{
    QFETCH(QLoki::LineLimitPolicy, policy);
    QFETCH(QByteArray, input);
    QFETCH(bool, cut);

    // The default limit, 256 KiB.
    LineReader reader(LokiConfig().maxLineBytes(), policy);
    QList<QString> lines;
    const LineReader::Sink sink = [&lines](const QString &line) { lines << line; };
    for (qsizetype at = 0; at < input.size(); at += 64 * 1024)
        reader.feed(QByteArrayView(input).sliced(at, qMin<qsizetype>(64 * 1024, input.size() - at)),
                    sink);
    reader.feed("\n", sink);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(reader.linesCut(), cut ? 1u : 0u);
    const QString &line = lines.constFirst();
    QVERIFY(line.size() > 50000);
    QVERIFY2(line.capacity() <= line.size() + line.size() / 16 + 16,
             qPrintable(u"%1 units held for %2"_s.arg(line.capacity()).arg(line.size())));
}

QTEST_APPLESS_MAIN(TestLineReader)
#include "tst_line_reader.moc"
