// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiConfig>

#include <QtCore/QUrl>
#include <QtWidgets/QWidget>

class AccessBox;
class KeyValueTable;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSpinBox;

/*!
    The Connection tab: where the logs go, with which credentials and TLS settings (the
    AccessBox), and how they are batched, retried and buffered. Apply asks the window to
    re-initialise its LokiLogger with config().
*/
class ConnectionPanel : public QWidget
{
    Q_OBJECT

public:
    //! \a useKeychain false keeps passwords and tokens for the session only.
    explicit ConnectionPanel(bool useKeychain = true, QWidget *parent = nullptr);

    //! The configuration the form describes; the push URL is \a builtinUrl unless
    //! "Use external Loki" is checked.
    LokiConfig config() const;
    bool useExternal() const;
    bool captureQtMessages() const;
    void setCaptureQtMessages(bool capture);
    void setUseExternal(bool external);
    QString appName() const;
    QString tenant() const;
    //! The URL of the built-in receiver, shown (read-only) while it is used.
    void setBuiltinUrl(const QUrl &url);
    QUrl builtinUrl() const { return m_builtinUrl; }
    //! Shows the outcome of the last Apply; \a problem shows it as an error.
    void setApplyResult(const QString &text, bool problem);
    QString applyResult() const;
    void setApplyEnabled(bool enabled, const QString &reason = {});
    AccessBox *accessBox() const { return m_access; }

    void loadSettings(QSettings &settings);
    void saveSettings(QSettings &settings) const;

Q_SIGNALS:
    void applyRequested();
    void useExternalChanged(bool external);
    //! Takes effect at once, without Apply.
    void captureQtMessagesChanged(bool capture);

private:
    void updateUrlField();

    QUrl m_builtinUrl;
    QString m_externalUrl;
    QCheckBox *m_useExternal;
    QLineEdit *m_url;
    QLineEdit *m_appName;
    QLineEdit *m_environment;
    QLineEdit *m_tenant;
    QComboBox *m_format;
    QSpinBox *m_batchEntries;
    QSpinBox *m_batchKiB;
    QDoubleSpinBox *m_flushInterval;
    QSpinBox *m_maxRetries;
    QSpinBox *m_minBackoff;
    QDoubleSpinBox *m_maxBackoff;
    QSpinBox *m_bufferSize;
    QComboBox *m_overflow;
    QComboBox *m_minimumLevel;
    QSpinBox *m_contextEntries;
    QCheckBox *m_offlineBuffer;
    QCheckBox *m_captureQtMessages;
    KeyValueTable *m_staticLabels;
    AccessBox *m_access;
    QPushButton *m_apply;
    QLabel *m_result;
};
