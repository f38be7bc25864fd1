// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QString>
#include <QtNetwork/QHostAddress>

#include <chrono>
#include <optional>

class QCoreApplication;
class QTextStream;

//! What loki-receiver's command line asks for.
struct ReceiverOptions
{
    QHostAddress address {QHostAddress::LocalHost};
    quint16 port = 3100;
    QString storeFile;
    //! -1: the receiver's default.
    qint64 maxEntries = -1;
    bool countingOnly = false;
    bool quiet = false;
    QString buildVersion;

    QString tenant;
    std::optional<std::pair<QString, QString>> basicAuth;
    QString bearerToken;
    QString tlsCertificate;
    QString tlsKey;
    QString tlsClientCa;

    LokiReceiver::Limits limits;

    // Faults set at start.
    std::optional<LokiReceiver::RefusalReason> refusal;
    int refuseCount = -1;
    int refuseEvery = 1;
    qint64 refuseBodiesAbove = 0;
    std::chrono::seconds blockIngestion {0};
    int blockStatus = 260;
    qint64 ingestionRate = 0;
    qint64 ingestionBurst = 0;
};

/*!
    Reads the command line of \a app (--help and --version print and exit). Returns 0, or
    2 after printing why to \a err when an argument is wrong.
*/
int parseOptions(const QCoreApplication &app, ReceiverOptions *options, QTextStream &err);

//! Applies the limits, the store settings, the access checks and the faults to \a receiver.
//! Returns false (see LokiReceiver::errorString()) when the store file cannot be opened.
bool applyOptions(const ReceiverOptions &options, LokiReceiver &receiver);
