// SPDX-License-Identifier: MIT
#pragma once

#include "accesspolicy_p.h"
#include "entrystore_p.h"
#include "ingest_p.h"
#include "lokireceiverfaults_p.h"
#include "lokireceiverlimits_p.h"
#include "lokireceiverstats_p.h"

#include <QLokiReceiver/lokireceiver.h>

#include <QtCore/QFile>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

#include <memory>
#include <optional>

class QHttpServerRequest;
class QTcpSocket;

namespace LokiReceiverInternal {
class HttpFrontend;
}

class LokiReceiverPrivate
{
    Q_DECLARE_PUBLIC(LokiReceiver)

public:
    explicit LokiReceiverPrivate(LokiReceiver *q);
    ~LokiReceiverPrivate();

    // receiverhttp.cpp: the HTTP surface.
    void handleRequest(const QHttpServerRequest &request, QTcpSocket *socket);
    //! Answers 401 (and counts it) unless the access checks let the request through.
    bool checkAccess(const QHttpServerRequest &request, QTcpSocket *socket, const QString &path);
    //! The tenant whose entries read requests see; every tenant's without a required one.
    std::optional<QByteArray> visibleTenant() const;
    bool isVisible(const LokiReceiverInternal::EntryStore::Stream &stream) const;
    void handlePush(const QHttpServerRequest &request, QTcpSocket *socket);
    //! POST /otlp/v1/logs: OTLP/HTTP logs stored as Loki 3 stores them (receiverotlp.cpp).
    void handleOtlpPush(const QHttpServerRequest &request, QTcpSocket *socket);
    void handleQuery(const QHttpServerRequest &request, QTcpSocket *socket, bool instant);
    void handleLabels(const QHttpServerRequest &request, QTcpSocket *socket);
    void handleLabelValues(const QHttpServerRequest &request, QTcpSocket *socket,
                           const QByteArray &name);
    void handleFaults(const QHttpServerRequest &request, QTcpSocket *socket);
    //! Answers 413 for a body over Limits::maxBodyBytes, before it is read.
    void refuseBody(QTcpSocket *socket, const QByteArray &path, qint64 size);
    //! `/receiver/` changes state: a POST there must be JSON (415 otherwise), which a
    //! browser cannot send to another origin without asking first (CORS preflight).
    bool checkReceiverRequest(const QHttpServerRequest &request, QTcpSocket *socket);
    /*!
        Writes a complete answer. The receiver writes the bytes itself rather than
        through QHttpServerResponder: a responder refers to the request, which
        QtHttpServer reuses for the next request on the connection and deletes with the
        socket, so it should not be kept for a delayed answer; and its header list is an
        initializer list, while Retry-After is sent only sometimes. \a extraHeaders are
        complete header lines, each ending in CRLF.
    */
    static void respond(QTcpSocket *socket, int status, const QByteArray &body = {},
                        const QByteArray &contentType = "text/plain; charset=utf-8",
                        int retryAfter = -1, const QByteArray &extraHeaders = {});
    //! Answers a push now or after the response delay, counts it and emits pushHandled.
    void answerPush(QTcpSocket *socket, int status, const QByteArray &body, int retryAfter,
                    int accepted, const QByteArray &contentType = "text/plain; charset=utf-8");
    void countPush(int status, int accepted);

    // lokireceiver.cpp (receiverfaults.cpp: faults(), goDownFor(), listenAgain())
    bool listenOn(const QHostAddress &bindAddress, quint16 bindPort);
    void goDownFor(qint64 ms);
    bool listenAgain();
    LokiReceiverInternal::FaultValues faults() const;
    LokiReceiverInternal::StatValues stats() const;
    static LokiReceiver::Entry toEntry(const LokiReceiverInternal::EntryStore &store,
                                       const LokiReceiverInternal::EntryStore::Entry &entry);

    LokiReceiver *const q_ptr;
    LokiReceiverInternal::HttpFrontend *http = nullptr;
    LokiReceiverInternal::EntryStore store;
    LokiReceiverInternal::Ingestor ingestor {&store};
    LokiReceiverInternal::AccessPolicy access;
    QFile storeFile;
    QString errorString;
    QString buildVersion = QStringLiteral("3.0.0");

    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0;
    bool listening = false;

    LokiReceiverInternal::StatValues counters;
    //! What limits() answers; the ingestor, the store and the frontend hold its values.
    LokiReceiver::Limits limits;

    int failNext = 0;
    int failStatus = 503;
    int retryAfter = -1;
    std::chrono::milliseconds responseDelay {0};
    int dropNext = 0;
    qint64 refuseBodiesAbove = 0;
    bool down = false;
    QTimer comeBackTimer;
};
