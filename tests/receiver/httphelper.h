// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#include <QtTest/QSignalSpy>

#include <memory>

// Synchronous HTTP for the receiver tests: waits on the reply's finished signal with a
// bound, never sleeps.
namespace TestHttp {

struct Reply
{
    bool finished = false;
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray retryAfter;
    QByteArray contentType;
    //! The WWW-Authenticate challenges, joined with ", " when there are several.
    QByteArray wwwAuthenticate;
    QString errorString;
};

using Headers = QList<QPair<QByteArray, QByteArray>>;

inline Reply finish(QNetworkReply *networkReply, int timeoutMs)
{
    std::unique_ptr<QNetworkReply> owner(networkReply);
    Reply reply;
    if (!networkReply->isFinished()) {
        QSignalSpy spy(networkReply, &QNetworkReply::finished);
        if (!spy.wait(timeoutMs))
            return reply;
    }
    reply.finished = true;
    reply.status = networkReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (networkReply->isOpen())
        reply.body = networkReply->readAll();
    reply.error = networkReply->error();
    reply.retryAfter = networkReply->rawHeader("Retry-After");
    reply.contentType = networkReply->rawHeader("Content-Type");
    reply.wwwAuthenticate = networkReply->rawHeader("WWW-Authenticate");
    reply.errorString = networkReply->errorString();
    return reply;
}

inline QNetworkRequest makeRequest(const QUrl &url, const Headers &headers)
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return request;
}

inline Reply post(QNetworkAccessManager &manager, const QUrl &url, const QByteArray &body,
                  const Headers &headers, int timeoutMs = 10000)
{
    return finish(manager.post(makeRequest(url, headers), body), timeoutMs);
}

inline Reply get(QNetworkAccessManager &manager, const QUrl &url, const Headers &headers = {},
                 int timeoutMs = 10000)
{
    return finish(manager.get(makeRequest(url, headers)), timeoutMs);
}

inline Reply deleteResource(QNetworkAccessManager &manager, const QUrl &url, int timeoutMs = 10000)
{
    return finish(manager.deleteResource(QNetworkRequest(url)), timeoutMs);
}

inline Reply pushJson(QNetworkAccessManager &manager, const QUrl &pushUrl, const QByteArray &json)
{
    return post(manager, pushUrl, json, {{"Content-Type", "application/json"}});
}

inline Reply pushProtobuf(QNetworkAccessManager &manager, const QUrl &pushUrl,
                          const QByteArray &snappyBody)
{
    return post(manager, pushUrl, snappyBody, {{"Content-Type", "application/x-protobuf"}});
}

} // namespace TestHttp
