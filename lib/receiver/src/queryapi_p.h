// SPDX-License-Identifier: MIT
#pragma once

#include "entrystore_p.h"
#include "logql_p.h"

#include <QtCore/QHash>

#include <optional>
#include <vector>

namespace LokiReceiverInternal {

/*!
    The fields of a query string or form body (`application/x-www-form-urlencoded`), each
    decoded once (`+` as a space, `%XX`) into its UTF-8 bytes; a name given twice keeps its
    first value, as QUrlQuery::queryItemValue() does. One pass over the text, without
    QUrlQuery's conversions: a selector of a megabyte costs what it weighs.
*/
class FormFields
{
public:
    explicit FormFields(QByteArrayView encoded);
    //! The value of \a name; a null QByteArray when absent.
    QByteArray value(const QByteArray &name) const { return m_values.value(name); }

private:
    QHash<QByteArray, QByteArray> m_values;
};

struct QueryRequest
{
    LogQuery query;
    //! Entries with start <= timestamp < end.
    qint64 startNs = 0;
    qint64 endNs = 0;
    //! 0: no limit.
    int limit = 100;
    bool forward = false;
    //! Only streams of this tenant; every tenant's when unset.
    std::optional<QByteArray> tenant;
};

/*!
    Reads query_range parameters (`query`, `start`, `end`, `limit`, `direction`; times
    as nanoseconds, seconds or RFC3339) with Loki's defaults: end now, start an hour
    before end, limit 100, backward. \a instant reads `/query` instead (`time`, every
    entry up to it). A limit above \a maxLimit (0: none) is refused as Loki refuses it.
    Returns false and sets \a error for a bad parameter.
*/
bool parseQueryRequest(const FormFields &parameters, bool instant, int maxLimit,
                       QueryRequest *request, QString *error);

//! The matching entries, limited and ordered by timestamp as the direction says
//! (entries with equal timestamps in arrival order, backward: the later first); a
//! limit keeps only the first ones, selected without sorting every match.
std::vector<const EntryStore::Entry *> runQuery(const EntryStore &store,
                                                const QueryRequest &request);

/*!
    Loki's streams answer for \a entries. Structured metadata is merged into each
    result stream's labels, or with \a categorizeLabels (request header
    `X-Loki-Response-Encoding-Flags: categorize-labels`) given as a third element
    `{"structuredMetadata":{...}}` of each value.
*/
QByteArray streamsResponse(const EntryStore &store,
                           const std::vector<const EntryStore::Entry *> &entries,
                           bool categorizeLabels);

//! `{"status":"success","data":[...]}` for the labels and label values endpoints.
QByteArray stringListResponse(const QList<QByteArray> &values);

} // namespace LokiReceiverInternal
