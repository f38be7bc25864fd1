// SPDX-License-Identifier: MIT
// What the scenarios log: sets of distinct entries, cycled through, so that lines differ as
// in a real log and the compressors do not see one line repeated.
#pragma once

#include <QtCore/QString>
#include <QtCore/QVariantMap>

#include <string>
#include <vector>

namespace bench {

/*!
    Entries with 2 stream labels (`label_service` "checkout", `label_region` one of four)
    and 2 metadata fields (`order_id` 7 random digits, `amount` a double with 2 decimals).
*/
struct Corpus
{
    std::vector<QString> lines;
    std::vector<QVariantMap> fields; //!< built once, for the scenarios that reuse them
    std::vector<QString> regions;
    std::vector<QString> orderIds;
    std::vector<double> amounts;
    std::vector<std::string> utf8Lines; //!< the same lines for spdlog

    /*!
        Request log lines of ~95 bytes with about 25 random characters (order number,
        status, duration, user, hex trace id): 4,096 of them span more than deflate's
        32 KiB and snappy's 64 KiB windows.
    */
    static Corpus requestLines(int count);
    //! Messages of 16 call sites, each with one or two short variable parts, as an
    //! application logs them; the same fields.
    static Corpus applicationMessages(int count);

    int size() const { return int(lines.size()); }
    const QString &line(int i) const { return lines[std::size_t(i % size())]; }
    const QVariantMap &fieldMap(int i) const { return fields[std::size_t(i % size())]; }
};

//! Bytes of \a s in UTF-8, counted without converting.
qint64 utf8Length(QStringView s);
//! The length of a varint holding \a n (as the queue prefixes names and values).
int varintLength(quint64 n);
//! A double as field values are rendered (the shortest text that reads back the same).
QString renderedDouble(double v);

} // namespace bench
