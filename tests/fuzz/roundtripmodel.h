// SPDX-License-Identifier: MIT
#pragma once

// What an entry must look like at the receiver, written from the documentation of the
// repairs (lib/src/model/fields_p.h, lib/src/pipeline/lineshaping_p.h, pushbatch_p.h)
// rather than from their code: slow and plain on purpose, so that the round trip compares
// the pipeline with what it promises and not with itself.

#include <QLoki/lokitypes.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QPair>
#include <QtCore/QString>
#include <QtCore/QVariantMap>

#include <optional>

namespace RoundTripModel {

using Pairs = QList<QPair<QString, QString>>;
using Utf8Pairs = QList<QPair<QByteArray, QByteArray>>;

//! The logger's configuration as far as it shapes an entry.
struct Config
{
    QString appName;
    QString environment;
    Pairs staticLabels; //!< valid, unreserved names, sorted (as validate() demands)
    QLoki::MetadataMode metadataMode = QLoki::MetadataMode::Structured;
    int maxLineBytes = 256 * 1024;
    QLoki::LineLimitPolicy lineLimitPolicy = QLoki::LineLimitPolicy::Truncate;
};

//! One logging call.
struct Call
{
    QLoki::Level level = QLoki::Level::Info;
    QString line;
    bool explicitLabels = false; //!< labels and metadata apart (the message handler's way)
    QVariantMap fields;
    QMap<QString, QString> labels; //!< with explicitLabels
};

//! The entry as the receiver must store it: UTF-8, labels and metadata sorted by name.
struct Stored
{
    Utf8Pairs labels;
    QByteArray line;
    Utf8Pairs metadata;
};

//! The stored entry, or nothing when the line limit refuses it.
std::optional<Stored> expected(const Config &config, const Call &call);

//! UTF-8 of \a text, a lone surrogate as U+FFFD.
QByteArray utf8(const QString &text);
//! \a bytes decoded as UTF-8, each byte that is not part of a valid sequence as U+FFFD.
QString fromUtf8(const QByteArray &bytes);
//! `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`.
bool isValidName(const QString &name);

} // namespace RoundTripModel
