// SPDX-License-Identifier: MIT
#include "statebadge.h"

using namespace Qt::StringLiterals;

StateBadge::StateBadge(QWidget *parent)
    : QLabel(parent)
{
    setAlignment(Qt::AlignCenter);
    setMinimumWidth(fontMetrics().horizontalAdvance(u"MMMMMMMMMM"_s));
    QFont f = font();
    f.setBold(true);
    setFont(f);
    setState(QLoki::State::Stopped);
}

QString StateBadge::displayName(QLoki::State state)
{
    switch (state) {
    case QLoki::State::Online:
        return tr("Online");
    case QLoki::State::Retrying:
        return tr("Retrying");
    case QLoki::State::Offline:
        return tr("Offline");
    case QLoki::State::Stopped:
        break;
    }
    return tr("Stopped");
}

void StateBadge::setState(QLoki::State state)
{
    m_state = state;
    QString color;
    switch (state) {
    case QLoki::State::Online:
        color = u"#2e7d32"_s;
        break;
    case QLoki::State::Retrying:
        color = u"#ef8f00"_s;
        break;
    case QLoki::State::Offline:
        color = u"#c62828"_s;
        break;
    case QLoki::State::Stopped:
        color = u"#757575"_s;
        break;
    }
    setText(displayName(state));
    setProperty("state", QLoki::stateName(state));
    setStyleSheet(u"QLabel { color: white; background: %1; border-radius: 10px;"
                  " padding: 4px 14px; }"_s.arg(color));
}
