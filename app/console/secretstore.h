// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

namespace QKeychain {
class Job;
}

/*!
    Where the console keeps passwords and tokens: the system keychain (QtKeychain: the
    Secret Service or KWallet, the macOS Keychain, the Windows Credential Store), never
    the settings file.

    Where no keychain service answers (a server, CI, an offscreen test), the first failed
    operation turns the store to the session backend: secrets are then kept in this
    process's memory until it ends, and backendChanged() lets the window say so. Every
    operation is asynchronous: the GUI thread never waits for a keychain.
*/
class SecretStore : public QObject
{
    Q_OBJECT

public:
    enum class Backend {
        Keychain, //!< the system keychain (until an operation fails)
        Session //!< this process's memory only
    };
    Q_ENUM(Backend)

    //! A store for \a service (the keychain's name for the application); with
    //! \a useKeychain false it keeps secrets for the session only from the start.
    explicit SecretStore(const QString &service, bool useKeychain, QObject *parent = nullptr);

    Backend backend() const { return m_backend; }
    //! Why the keychain is not used; empty while it is.
    QString keychainError() const { return m_keychainError; }

    //! Reads the secret stored under \a key; readFinished() follows (empty when none).
    void read(const QString &key);
    //! Stores \a value under \a key; an empty value removes what was stored.
    void write(const QString &key, const QString &value);

    //! false makes every store keep secrets for the session only (tests leave the
    //! keychain of the machine alone).
    static void setKeychainAllowed(bool allowed);

Q_SIGNALS:
    void readFinished(const QString &key, const QString &value);
    void backendChanged(SecretStore::Backend backend);

private:
    void fallBack(QKeychain::Job *job);
    QString sessionKey(const QString &key) const;

    const QString m_service;
    Backend m_backend;
    QString m_keychainError;
};
