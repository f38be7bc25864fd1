// SPDX-License-Identifier: MIT
#include "consoletranslation.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLibraryInfo>
#include <QtCore/QTranslator>

ConsoleTranslation::ConsoleTranslation(QObject *parent)
    : QObject(parent)
    , m_plurals(new QTranslator(this))
    , m_console(new QTranslator(this))
    , m_qt(new QTranslator(this))
{ }

ConsoleTranslation::~ConsoleTranslation() { remove(); }

QString ConsoleTranslation::directory() { return QStringLiteral(":/qloki-console/i18n"); }

bool ConsoleTranslation::install(const QLocale &locale)
{
    remove();
    // Installed first, so that it is searched last.
    if (m_plurals->load(QStringLiteral("qloki_console_plurals_en"), directory()))
        QCoreApplication::installTranslator(m_plurals);
    m_installed = true;
    const bool found = m_console->load(locale, QStringLiteral("qloki_console"), QStringLiteral("_"),
                                       directory());
    if (!found)
        return false;
    QCoreApplication::installTranslator(m_console);
    // Qt's own strings (standard dialogs, context menus) when the system has them.
    if (m_qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                   QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(m_qt);
    return true;
}

void ConsoleTranslation::remove()
{
    if (!m_installed)
        return;
    QCoreApplication::removeTranslator(m_plurals);
    QCoreApplication::removeTranslator(m_console);
    QCoreApplication::removeTranslator(m_qt);
    m_installed = false;
}
