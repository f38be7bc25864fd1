// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiTypes>

#include <QtWidgets/QLabel>

/*!
    The delivery state as a colored pill: Online (green), Retrying (amber), Offline
    (red), Stopped (gray). The dynamic property "state" holds the untranslated name.
*/
class StateBadge : public QLabel
{
    Q_OBJECT

public:
    explicit StateBadge(QWidget *parent = nullptr);

    QLoki::State state() const { return m_state; }
    void setState(QLoki::State state);
    //! The translated name of \a state, as shown on the badge.
    static QString displayName(QLoki::State state);

private:
    QLoki::State m_state = QLoki::State::Stopped;
};
