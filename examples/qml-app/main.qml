// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QLoki

ApplicationWindow {
    width: 360
    height: 160
    visible: true
    title: "QLoki QML example"

    Column {
        anchors.centerIn: parent
        spacing: 12

        Button {
            text: "Log in"
            onClicked: {
                Loki.info("user login ok", { label_component: "ui", labels: { screen: "main" },
                                             user_id: 12345 })
                console.log("button clicked") // through the hook, category "qml"
            }
        }
        Text {
            text: Loki.state + ": " + Loki.delivered + " delivered, " + Loki.pending + " pending"
        }
    }
}
