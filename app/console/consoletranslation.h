// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLocale>
#include <QtCore/QObject>

class QTranslator;

/*!
    Installs the console's translation (embedded as a resource) and Qt's own for a
    locale. The console ships qloki_console_zh_CN; other locales keep English.
*/
class ConsoleTranslation : public QObject
{
    Q_OBJECT

public:
    explicit ConsoleTranslation(QObject *parent = nullptr);
    ~ConsoleTranslation() override;

    //! Loads and installs the translations for \a locale; returns true when the
    //! console's own translation was found (English needs none and returns false).
    bool install(const QLocale &locale);
    //! Removes what install() installed.
    void remove();
    //! The resource path of the console's translations.
    static QString directory();

private:
    QTranslator *m_console;
    QTranslator *m_qt;
    bool m_installed = false;
};
