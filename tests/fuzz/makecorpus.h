// SPDX-License-Identifier: MIT
#pragma once

// What the writers of the seed corpora share (makecorpus.cpp, makecorpusotlp.cpp).

#include "model/pushbatch_p.h"

#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>

namespace MakeCorpus {

//! 2024-11-24T00:00:00Z, the tests' time.
constexpr qint64 T0 = 1732406400LL * 1000000000LL;

//! Writes \a data as the seed \a name of \a harness; exits when it cannot.
void write(const char *harness, const char *name, const QByteArray &data);
inline QString s(const char *utf8) { return QString::fromUtf8(utf8); }
//! The batches of tst_jsonencoder and tst_protobufencoder, by name.
QList<QPair<const char *, QLoki::detail::PushBatch>> encoderBatches();

//! corpus/push_otlp (makecorpusotlp.cpp).
void pushOtlp();

} // namespace MakeCorpus
