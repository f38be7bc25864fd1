// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiConfig>

#include <QtWidgets/QGroupBox>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;
class SecretStore;

/*!
    The Connection tab's "Access" box: how the console authenticates to an external Loki
    (basic auth, a bearer token) and which TLS settings it uses (a CA file, a client
    certificate and key, or no verification at all, with a warning while that is on).

    The settings file keeps the user name, the file paths and the switches; the password
    and the token go to a SecretStore (the system keychain, else this session only), and
    a line under the fields says which. Secrets are stored when storeSecrets() is called
    (Apply), read back by loadSettings(); secretsLoaded() tells when they are in the form.
*/
class AccessBox : public QGroupBox
{
    Q_OBJECT

public:
    enum class Auth { None, Basic, Bearer };
    Q_ENUM(Auth)

    //! \a useKeychain false keeps secrets for the session only (tests, screenshots).
    explicit AccessBox(bool useKeychain, QWidget *parent = nullptr);

    //! Sets the access options of \a config from the form.
    void applyTo(LokiConfig *config) const;

    Auth auth() const;
    void setAuth(Auth auth);
    void setBasicAuth(const QString &user, const QString &password);
    void setBearerToken(const QString &token);
    void setTls(const QString &caFile, const QString &certificateFile, const QString &keyFile,
                bool insecure);

    SecretStore *secrets() const { return m_secrets; }
    //! Reads the form from \a settings, and starts reading the secrets.
    void loadSettings(QSettings &settings);
    //! Writes the form to \a settings, secrets excepted.
    void saveSettings(QSettings &settings) const;
    //! Stores the password and the token of the form (an empty one is removed).
    void storeSecrets();
    //! Whether the secrets asked for by loadSettings() have all arrived.
    bool secretsPending() const { return m_pendingReads > 0; }

Q_SIGNALS:
    //! Once the secrets asked for by loadSettings() are in the form.
    void secretsLoaded();

private:
    QLineEdit *fileField(const QString &name, const QString &filter, QWidget **row);
    void updateFields();
    void updateStorageNote();

    SecretStore *m_secrets;
    QComboBox *m_auth;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_token;
    QLineEdit *m_caFile;
    QLineEdit *m_certificateFile;
    QLineEdit *m_keyFile;
    QCheckBox *m_insecure;
    QLabel *m_insecureWarning;
    QLabel *m_storageNote;
    int m_pendingReads = 0;
};
