// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLocale>
#include <QtCore/QObject>

class QTranslator;

/*!
    Installs the console's translation (embedded as a resource) and Qt's own for a
    locale. The console ships qloki_console_zh_CN; other locales keep English.

    English has a file too, qloki_console_plurals_en, with only the plural forms of the messages
    that count something (`tr("%n entries", nullptr, n)` says "1 entry"); it is installed
    for every locale, beneath the locale's own file.
*/
class ConsoleTranslation : public QObject
{
    Q_OBJECT

public:
    explicit ConsoleTranslation(QObject *parent = nullptr);
    ~ConsoleTranslation() override;

    //! Loads and installs the translations for \a locale; returns true when the
    //! console's own translation was found (English has none and returns false; its plural
    //! forms are installed all the same).
    bool install(const QLocale &locale);
    //! Removes what install() installed.
    void remove();
    //! The resource path of the console's translations.
    static QString directory();

private:
    QTranslator *m_plurals;
    QTranslator *m_console;
    QTranslator *m_qt;
    bool m_installed = false;
};
