// SPDX-License-Identifier: MIT
#include "encoding/utf8_p.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QtTest>

using namespace QLoki::detail;

namespace {

// The UTF-8 every body must carry: each lone surrogate as U+FFFD, the rest as Qt writes it.
QByteArray expected(QStringView s)
{
    QString repaired;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c.isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate()) {
            repaired += c;
            repaired += s[++i];
        } else if (c.isSurrogate()) {
            repaired += QChar(QChar::ReplacementCharacter);
        } else {
            repaired += c;
        }
    }
    return repaired.toUtf8();
}

} // namespace

class tst_Utf8 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Sixteen units at a time where the CPU allows, four, then one: a character beyond
    // ASCII, a pair or a lone surrogate at each place of a block and across its end.
    void writesWhatQtWritesAtEveryPlace_data()
    {
        QTest::addColumn<QString>("inserted");
        QTest::newRow("latin-1") << QStringLiteral("\u00e9");
        QTest::newRow("bmp") << QStringLiteral("\u6f22");
        QTest::newRow("pair") << QString::fromUtf16(u"\U0001F600");
        QTest::newRow("lone high") << QString(QChar(0xD800));
        QTest::newRow("lone low") << QString(QChar(0xDC00));
        QTest::newRow("high at the end") << QStringLiteral("x") + QChar(0xD83D);
    }
    void writesWhatQtWritesAtEveryPlace()
    {
        QFETCH(QString, inserted);
        for (int length = 0; length <= 40; ++length) {
            for (int at = 0; at <= length; ++at) {
                QString s(length, QLatin1Char('a'));
                for (int i = 0; i < length; ++i)
                    s[i] = QLatin1Char(char('a' + i % 26));
                s.insert(at, inserted);
                const QByteArray want = expected(s);
                QCOMPARE(Utf8::size(s), want.size());
                QCOMPARE(Utf8::encode(s), want);
            }
        }
    }

    // Random text, mostly ASCII or mostly not, of lengths around the block sizes.
    void randomText()
    {
        QRandomGenerator random(20261204);
        const char16_t pool[] = {u'a',  u'Z',   u'0',   u' ',   0x7F,   0x80,   0xE9,   0x7FF,
                                 0x800, 0x6F22, 0xFFFD, 0xFFFF, 0xD83D, 0xDE00, 0xD800, 0xDFFF};
        for (int round = 0; round < 4000; ++round) {
            const int length = int(random.bounded(70));
            const bool mostlyAscii = round % 2 == 0;
            QString s;
            for (int i = 0; i < length; ++i) {
                const bool ascii = mostlyAscii ? random.bounded(20) != 0 : random.bounded(4) == 0;
                s += QChar(ascii ? pool[random.bounded(5)]
                                 : pool[5 + random.bounded(int(std::size(pool)) - 5)]);
            }
            const QByteArray want = expected(s);
            QCOMPARE(Utf8::size(s), want.size());
            QCOMPARE(Utf8::encode(s), want);
        }
    }
};

QTEST_APPLESS_MAIN(tst_Utf8)
#include "tst_utf8.moc"
