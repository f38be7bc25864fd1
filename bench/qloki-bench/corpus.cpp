// SPDX-License-Identifier: MIT
#include "corpus.h"

#include <QtCore/QLocale>

#include <cstdio>

namespace bench {

namespace {

// xorshift32: the same entries on every run.
struct Random
{
    std::uint32_t x = 2463534242u;
    std::uint32_t operator()()
    {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
    }
};

void addEntry(Corpus &c, const std::string &line, Random &next, int i)
{
    static const char *const regionNames[] = {"eu-west-1", "us-east-1", "ap-south-1", "sa-east-1"};
    c.utf8Lines.push_back(line);
    c.lines.push_back(QString::fromStdString(line));
    c.regions.push_back(QString::fromLatin1(regionNames[i % 4]));
    c.orderIds.push_back(QString::number(next() % 10000000u));
    c.amounts.push_back(double(next() % 100000u) / 100.0);
    c.fields.push_back(QVariantMap {{QStringLiteral("label_service"), QStringLiteral("checkout")},
                                    {QStringLiteral("label_region"), c.regions.back()},
                                    {QStringLiteral("order_id"), c.orderIds.back()},
                                    {QStringLiteral("amount"), c.amounts.back()}});
}

} // namespace

Corpus Corpus::requestLines(int count)
{
    Corpus c;
    Random next;
    for (int i = 0; i < count; ++i) {
        char text[160];
        std::snprintf(text, sizeof text,
                      "GET /api/v1/orders/%08u/items served status=%u duration_ms=%u "
                      "user=u%06u trace=%08x",
                      next() % 100000000u, next() % 5 == 0 ? 404u : 200u, next() % 900u,
                      next() % 1000000u, next());
        addEntry(c, text, next, i);
    }
    return c;
}

Corpus Corpus::applicationMessages(int count)
{
    static const char *const sites[] = {
            "user %s logged in",
            "user %s logged out",
            "cache miss for product %s",
            "cart updated for user %s",
            "payment authorized for order %s",
            "payment declined for order %s: insufficient funds",
            "order %s shipped via %s",
            "inventory low for product %s",
            "session %s expired",
            "retrying request to %s",
            "connection to %s established",
            "configuration reloaded from %s",
            "slow query on table %s",
            "email sent to user %s",
            "coupon %s applied",
            "password reset requested for user %s",
    };
    static const char *const values[] = {"alice", "bob",    "carol",     "orders-db",
                                         "42",    "1017",   "inventory", "dhl",
                                         "ups",   "SAVE10", "cfg.json",  "payments"};
    Corpus c;
    Random next;
    for (int i = 0; i < count; ++i) {
        char text[160];
        const char *site = sites[next() % 16];
        std::snprintf(text, sizeof text, site, values[next() % 12], values[next() % 12]);
        addEntry(c, text, next, i);
    }
    return c;
}

qint64 utf8Length(QStringView s)
{
    qint64 n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s[i].unicode();
        if (c < 0x80)
            n += 1;
        else if (c < 0x800)
            n += 2;
        else if (QChar::isHighSurrogate(c) && i + 1 < s.size()
                 && QChar::isLowSurrogate(s[i + 1].unicode()))
            n += 4, ++i;
        else
            n += 3;
    }
    return n;
}

int varintLength(quint64 n)
{
    int length = 1;
    while (n >= 0x80) {
        n >>= 7;
        ++length;
    }
    return length;
}

QString renderedDouble(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

} // namespace bench
