// SPDX-License-Identifier: MIT
// The option table of LokiConfig (lokiconfigoptions.cpp): every row is read from JSON and
// from the environment, refuses values of the wrong kind, and is documented in lokiconfig.h
// with its JSON key and variable. An option added to the table is tested here as it is.
#include "model/lokiconfigoptions_p.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QSet>
#include <QtTest/QTest>

using namespace QLoki::detail;

namespace {

// The name of a value of \a field that differs from its default; empty when none does.
QString otherChoice(const ChoiceField &field)
{
    const LokiConfigData defaults;
    for (const QString &name : QString::fromLatin1(field.names).split(QStringLiteral(", "))) {
        LokiConfigData c;
        if (field.parse(&c, name) && !field.equal(c, defaults))
            return name;
    }
    return QString();
}

// A value other than the default, as JSON and as an environment variable.
struct Sample
{
    QJsonValue json;
    QByteArray environment;
    QByteArray invalidEnvironment; //!< empty for text, which takes anything
    QJsonValue wrongJson = QJsonArray {}; //!< a value of the wrong kind
};

Sample sampleFor(const ConfigOption &option)
{
    const LokiConfigData d;
    return std::visit(
            Overloaded {
                    [](QString LokiConfigData::*) {
                        return Sample {QStringLiteral("sample"), "sample", {}};
                    },
                    [](FileField) {
                        return Sample {QStringLiteral("/sample.pem"), "/sample.pem", {}};
                    },
                    [&](bool LokiConfigData::*m) {
                        return Sample {!(d.*m), d.*m ? "no" : "yes", "maybe"};
                    },
                    [](int LokiConfigData::*) {
                        return Sample {4321, "4321", "43x"};
                    },
                    [](qint64 LokiConfigData::*) {
                        return Sample {4321000, "4321000", "1e"};
                    },
                    [](std::chrono::milliseconds LokiConfigData::*) {
                        return Sample {12.5, "12.5", "soon"};
                    },
                    [](QMap<QString, QUrl> LokiConfigData::*) {
                        return Sample {QJsonObject {{QStringLiteral("loki"),
                                                     QStringLiteral("http://sample:1")}},
                                       "http://sample:1", "sample:1"};
                    },
                    [](QMap<QString, QString> LokiConfigData::*) {
                        return Sample {QJsonObject {{QStringLiteral("k"), QStringLiteral("v")}},
                                       "k=v", "k"};
                    },
                    [](HeaderField) {
                        return Sample {QJsonObject {{QStringLiteral("K"), QStringLiteral("v")}},
                                       "K: v", "K"};
                    },
                    [](ChoiceField f) {
                        const QString name = otherChoice(f);
                        return Sample {name, name.toLatin1(), "no-such-value"};
                    },
                    [](RedactionsField) {
                        const QJsonObject rule {{QStringLiteral("pattern"), QStringLiteral("x+")},
                                                {QStringLiteral("replacement"), QStringLiteral("y")}};
                        return Sample {QJsonArray {rule}, {}, {}, QStringLiteral("x+")};
                    },
            },
            option.field);
}

void addOptionRows(bool withVariableOnly = false)
{
    QTest::addColumn<int>("index");
    int i = 0;
    for (const ConfigOption &option : configOptions()) {
        if (!withVariableOnly || option.envVar)
            QTest::newRow(option.name) << i;
        ++i;
    }
}

} // namespace

class tst_LokiConfigOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesAreUnique()
    {
        QSet<QString> names, keys, variables;
        for (const ConfigOption &option : configOptions()) {
            QVERIFY2(!names.contains(QLatin1String(option.name)), option.name);
            QVERIFY2(!keys.contains(QLatin1String(option.jsonKey)), option.jsonKey);
            names.insert(QLatin1String(option.name));
            keys.insert(QLatin1String(option.jsonKey));
            if (option.envVar) {
                QVERIFY2(!variables.contains(QLatin1String(option.envVar)), option.envVar);
                QVERIFY(QByteArray(option.envVar).startsWith("LOKI_"));
                variables.insert(QLatin1String(option.envVar));
            }
        }
        QVERIFY(names.size() >= 33);
    }

    void readFromJson_data() { addOptionRows(); }
    void readFromJson()
    {
        QFETCH(int, index);
        const ConfigOption &option = configOptions().at(index);
        const Sample sample = sampleFor(option);
        QVERIFY2(!sample.json.isNull() && sample.json != QJsonValue(QString()), option.name);

        const QString key = QLatin1String(option.jsonKey);
        QString error;
        const std::optional<LokiConfigData> read =
                configFromJson(QJsonDocument(QJsonObject {{key, sample.json}}).toJson(), &error);
        QVERIFY2(read, qPrintable(error));
        QVERIFY2(!sameOptions(*read, LokiConfigData()), "the JSON value changed nothing");

        // A value of the wrong kind is refused, naming the key.
        QVERIFY(!configFromJson(QJsonDocument(QJsonObject {{key, sample.wrongJson}}).toJson(),
                                &error));
        QVERIFY2(error.contains(QLatin1Char('"') + key), qPrintable(error));
    }

    void readFromEnvironment_data() { addOptionRows(true); }
    void readFromEnvironment()
    {
        QFETCH(int, index);
        const ConfigOption &option = configOptions().at(index);
        const Sample sample = sampleFor(option);
        const auto unset = qScopeGuard([&] { qunsetenv(option.envVar); });

        qputenv(option.envVar, sample.environment);
        LokiConfigData c;
        QStringList errors;
        QVERIFY2(applyEnvironment(&c, &errors), qPrintable(errors.join(QLatin1Char(' '))));
        QVERIFY2(!sameOptions(c, LokiConfigData()), "the variable changed nothing");

        if (sample.invalidEnvironment.isEmpty())
            return;
        qputenv(option.envVar, sample.invalidEnvironment);
        LokiConfigData untouched;
        errors.clear();
        QVERIFY(!applyEnvironment(&untouched, &errors));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(QLatin1String(option.envVar)),
                 qPrintable(errors.first()));
        QVERIFY2(sameOptions(untouched, LokiConfigData()), "a refused value was applied");
    }

    // lokiconfig.h documents each option on its getter, naming the same JSON key and
    // variable as the table, and declares its setter.
    void documentedInTheHeader_data() { addOptionRows(); }
    void documentedInTheHeader()
    {
        QFETCH(int, index);
        const ConfigOption &option = configOptions().at(index);
        QFile file(QStringLiteral(QLOKI_SOURCE_DIR "/lib/include/QLoki/lokiconfig.h"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));

        const QString name = QLatin1String(option.name);
        const QRegularExpression getter(QStringLiteral("^    \\S.* %1\\(\\) const;$").arg(name));
        const qsizetype at = lines.indexOf(getter);
        QVERIFY2(at > 0, "no getter");
        const QString setter =
                QStringLiteral("LokiConfig &set%1%2(").arg(name.at(0).toUpper(), name.mid(1));
        QVERIFY2(lines.at(at + 2).contains(setter), qPrintable(lines.at(at + 2)));

        // The comment right above the getter.
        QString doc;
        for (qsizetype i = at - 1; i >= 0; --i) {
            const QString line = lines.at(i).trimmed();
            if (!line.startsWith(QLatin1String("//!")) && !line.startsWith(QLatin1String("/*!"))
                && !line.endsWith(QLatin1String("*/")) && !doc.contains(QLatin1String("*/")))
                break;
            doc.prepend(line + QLatin1Char(' '));
            if (line.startsWith(QLatin1String("/*!")))
                break;
        }
        doc = doc.remove(QLatin1String("//!")).remove(QLatin1String("/*!")).simplified();
        QVERIFY2(doc.contains(QStringLiteral("JSON `%1`").arg(QLatin1String(option.jsonKey))),
                 qPrintable(doc));
        if (option.envVar)
            QVERIFY2(doc.contains(QLatin1String(option.envVar)), qPrintable(doc));
        else
            QVERIFY2(!doc.contains(QLatin1String("LOKI_")), qPrintable(doc));
    }
};

QTEST_GUILESS_MAIN(tst_LokiConfigOptions)
#include "tst_lokiconfigoptions.moc"
