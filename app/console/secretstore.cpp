// SPDX-License-Identifier: MIT
#include "secretstore.h"

#include <QtCore/QHash>

#include <qt6keychain/keychain.h>

namespace {

// The session backend: this process's memory, shared by every store, so that a window
// opened later in the same run finds what an earlier one stored.
QHash<QString, QString> &sessionSecrets()
{
    static QHash<QString, QString> secrets;
    return secrets;
}

bool keychainAllowed = true;

} // namespace

SecretStore::SecretStore(const QString &service, bool useKeychain, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_backend(useKeychain && keychainAllowed ? Backend::Keychain : Backend::Session)
{ }

void SecretStore::setKeychainAllowed(bool allowed) { keychainAllowed = allowed; }

QString SecretStore::sessionKey(const QString &key) const { return m_service + u'/' + key; }

void SecretStore::fallBack(QKeychain::Job *job)
{
    if (m_backend == Backend::Session)
        return;
    m_backend = Backend::Session;
    m_keychainError = job->errorString();
    Q_EMIT backendChanged(m_backend);
}

void SecretStore::read(const QString &key)
{
    if (m_backend == Backend::Session) {
        // Asynchronous as a keychain read is, so that callers see one behaviour.
        QMetaObject::invokeMethod(
                this,
                [this, key] { Q_EMIT readFinished(key, sessionSecrets().value(sessionKey(key))); },
                Qt::QueuedConnection);
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job *done) {
        auto *reading = static_cast<QKeychain::ReadPasswordJob *>(done);
        if (done->error() == QKeychain::NoError) {
            sessionSecrets().insert(sessionKey(key), reading->textData());
        } else if (done->error() != QKeychain::EntryNotFound) {
            fallBack(done);
        }
        Q_EMIT readFinished(key, sessionSecrets().value(sessionKey(key)));
    });
    job->start();
}

void SecretStore::write(const QString &key, const QString &value)
{
    if (value.isEmpty())
        sessionSecrets().remove(sessionKey(key));
    else
        sessionSecrets().insert(sessionKey(key), value);
    if (m_backend == Backend::Session)
        return;
    QKeychain::Job *job = nullptr;
    if (value.isEmpty()) {
        job = new QKeychain::DeletePasswordJob(m_service, this);
    } else {
        auto *writing = new QKeychain::WritePasswordJob(m_service, this);
        writing->setTextData(value);
        job = writing;
    }
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) {
        if (done->error() != QKeychain::NoError && done->error() != QKeychain::EntryNotFound)
            fallBack(done);
    });
    job->start();
}
