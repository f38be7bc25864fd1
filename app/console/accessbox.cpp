// SPDX-License-Identifier: MIT
#include "accessbox.h"

#include "secretstore.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSettings>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

namespace {

const QString PasswordKey = u"password"_s;
const QString BearerTokenKey = u"bearerToken"_s;

template<typename W>
W *named(W *widget, const QString &name)
{
    widget->setObjectName(name);
    return widget;
}

} // namespace

AccessBox::AccessBox(bool useKeychain, QWidget *parent)
    : QGroupBox(tr("Access"), parent)
    , m_secrets(new SecretStore(QCoreApplication::organizationName() + u' '
                                        + QCoreApplication::applicationName(),
                                useKeychain, this))
    , m_auth(named(new QComboBox, u"authCombo"_s))
    , m_user(named(new QLineEdit, u"userEdit"_s))
    , m_password(named(new QLineEdit, u"passwordEdit"_s))
    , m_token(named(new QLineEdit, u"bearerTokenEdit"_s))
    , m_insecure(named(new QCheckBox(tr("Do not verify the server's certificate (insecure)")),
                       u"insecureCheck"_s))
    , m_insecureWarning(named(new QLabel, u"insecureWarningLabel"_s))
    , m_storageNote(named(new QLabel, u"secretStorageLabel"_s))
{
    m_auth->addItem(tr("None"), int(Auth::None));
    m_auth->addItem(tr("Basic auth (user and password)"), int(Auth::Basic));
    m_auth->addItem(tr("Bearer token"), int(Auth::Bearer));
    m_user->setPlaceholderText(tr("Grafana Cloud: the instance ID"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Grafana Cloud: an access policy token"));
    m_token->setEchoMode(QLineEdit::Password);
    m_insecureWarning->setText(
            tr("The server's certificate is not checked: anyone on the way to this URL can "
               "read the logs and the credentials, and answer in Loki's place. For development "
               "only."));
    m_insecureWarning->setWordWrap(true);
    m_insecureWarning->setStyleSheet(u"color: #b00020;"_s);
    m_storageNote->setWordWrap(true);
    m_storageNote->setStyleSheet(u"color: palette(placeholder-text);"_s);

    QWidget *caRow = nullptr;
    QWidget *certificateRow = nullptr;
    QWidget *keyRow = nullptr;
    m_caFile =
            fileField(u"caFileEdit"_s, tr("PEM certificates (*.pem *.crt);;All files (*)"), &caRow);
    m_certificateFile =
            fileField(u"clientCertificateEdit"_s,
                      tr("PEM certificates (*.pem *.crt);;All files (*)"), &certificateRow);
    m_keyFile = fileField(u"clientKeyEdit"_s, tr("PEM keys (*.pem *.key);;All files (*)"), &keyRow);
    m_caFile->setPlaceholderText(tr("in addition to the system's CAs"));
    m_keyFile->setPlaceholderText(tr("unencrypted PEM"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("Authentication:"), m_auth);
    form->addRow(tr("User:"), m_user);
    form->addRow(tr("Password:"), m_password);
    form->addRow(tr("Token:"), m_token);
    form->addRow(tr("CA file:"), caRow);
    form->addRow(tr("Client certificate:"), certificateRow);
    form->addRow(tr("Client key:"), keyRow);
    form->addRow(m_insecure);
    form->addRow(m_insecureWarning);
    form->addRow(m_storageNote);

    connect(m_auth, &QComboBox::currentIndexChanged, this, &AccessBox::updateFields);
    connect(m_insecure, &QCheckBox::toggled, this, &AccessBox::updateFields);
    connect(m_secrets, &SecretStore::backendChanged, this, &AccessBox::updateStorageNote);
    connect(m_secrets, &SecretStore::readFinished, this,
            [this](const QString &key, const QString &value) {
                // What the user typed meanwhile wins over what was stored.
                QLineEdit *field = key == PasswordKey ? m_password : m_token;
                if (field->text().isEmpty())
                    field->setText(value);
                if (m_pendingReads > 0 && --m_pendingReads == 0)
                    Q_EMIT secretsLoaded();
            });
    updateFields();
    updateStorageNote();
}

QLineEdit *AccessBox::fileField(const QString &name, const QString &filter, QWidget **row)
{
    auto *edit = named(new QLineEdit, name);
    auto *browse = named(new QPushButton(tr("Browse…")), name + u"Browse"_s);
    *row = new QWidget;
    auto *layout = new QHBoxLayout(*row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, filter] {
        const QString path =
                QFileDialog::getOpenFileName(this, tr("Choose a file"), edit->text(), filter);
        if (!path.isEmpty())
            edit->setText(path);
    });
    return edit;
}

void AccessBox::updateFields()
{
    auto *form = static_cast<QFormLayout *>(layout());
    const Auth mode = auth();
    form->setRowVisible(m_user, mode == Auth::Basic);
    form->setRowVisible(m_password, mode == Auth::Basic);
    form->setRowVisible(m_token, mode == Auth::Bearer);
    m_insecureWarning->setVisible(m_insecure->isChecked());
}

void AccessBox::updateStorageNote()
{
    if (m_secrets->backend() == SecretStore::Backend::Keychain) {
        m_storageNote->setText(tr("The password and the token are kept in the system keychain, "
                                  "never in the settings file."));
        m_storageNote->setToolTip(QString());
    } else {
        m_storageNote->setText(tr("No keychain is available: the password and the token are kept "
                                  "for this session only, never in the settings file."));
        m_storageNote->setToolTip(m_secrets->keychainError());
    }
}

AccessBox::Auth AccessBox::auth() const { return Auth(m_auth->currentData().toInt()); }

void AccessBox::setAuth(Auth auth)
{
    m_auth->setCurrentIndex(qMax(0, m_auth->findData(int(auth))));
}

void AccessBox::setBasicAuth(const QString &user, const QString &password)
{
    setAuth(Auth::Basic);
    m_user->setText(user);
    m_password->setText(password);
}

void AccessBox::setBearerToken(const QString &token)
{
    setAuth(Auth::Bearer);
    m_token->setText(token);
}

void AccessBox::setTls(const QString &caFile, const QString &certificateFile,
                       const QString &keyFile, bool insecure)
{
    m_caFile->setText(caFile);
    m_certificateFile->setText(certificateFile);
    m_keyFile->setText(keyFile);
    m_insecure->setChecked(insecure);
}

void AccessBox::applyTo(LokiConfig *config) const
{
    switch (auth()) {
    case Auth::None:
        break;
    case Auth::Basic:
        config->setUsername(m_user->text().trimmed());
        config->setPassword(m_password->text());
        break;
    case Auth::Bearer:
        config->setBearerToken(m_token->text().trimmed());
        break;
    }
    config->setCaFile(m_caFile->text().trimmed());
    config->setClientCertificateFile(m_certificateFile->text().trimmed());
    config->setClientKeyFile(m_keyFile->text().trimmed());
    config->setInsecureSkipTlsVerification(m_insecure->isChecked());
}

void AccessBox::loadSettings(QSettings &settings)
{
    setAuth(Auth(settings.value(u"auth"_s, int(Auth::None)).toInt()));
    m_user->setText(settings.value(u"user"_s).toString());
    m_caFile->setText(settings.value(u"caFile"_s).toString());
    m_certificateFile->setText(settings.value(u"clientCertificate"_s).toString());
    m_keyFile->setText(settings.value(u"clientKey"_s).toString());
    m_insecure->setChecked(settings.value(u"insecure"_s, false).toBool());
    m_pendingReads = 2;
    m_secrets->read(PasswordKey);
    m_secrets->read(BearerTokenKey);
}

void AccessBox::saveSettings(QSettings &settings) const
{
    settings.setValue(u"auth"_s, int(auth()));
    settings.setValue(u"user"_s, m_user->text());
    settings.setValue(u"caFile"_s, m_caFile->text());
    settings.setValue(u"clientCertificate"_s, m_certificateFile->text());
    settings.setValue(u"clientKey"_s, m_keyFile->text());
    settings.setValue(u"insecure"_s, m_insecure->isChecked());
}

void AccessBox::storeSecrets()
{
    m_secrets->write(PasswordKey, m_password->text());
    m_secrets->write(BearerTokenKey, m_token->text());
}
