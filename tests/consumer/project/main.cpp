// SPDX-License-Identifier: MIT
// Logs one entry to the Loki push URL in argv[1]; exits 0 when it was delivered.
#include <QLoki/Loki>

#include <QtCore/QCoreApplication>
#include <QtCore/QUrl>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: consumer <loki-url>\n");
        return 2;
    }

    // The version macros and the library's own version agree with the package found.
#if QLOKI_VERSION < QLOKI_VERSION_CHECK(2, 0, 0)
#error "find_package(QLoki 2.0) found headers older than 2.0"
#endif
    if (qstrcmp(qlokiVersion(), QLOKI_VERSION_STR) != 0) {
        std::fprintf(stderr, "consumer: built with %s, runs with %s\n", QLOKI_VERSION_STR,
                     qlokiVersion());
        return 1;
    }

    LokiConfig config;
    config.setAppName(QStringLiteral("consumer"))
            .setUrl(QUrl(QString::fromLocal8Bit(argv[1])));
    if (!Loki::init(config)) {
        std::fprintf(stderr, "consumer: %s\n", qPrintable(Loki::instance()->errorString()));
        return 1;
    }
    Loki::info(QStringLiteral("hello from an installed QLoki"),
               {{QStringLiteral("label_component"), QStringLiteral("packaging")},
                {QStringLiteral("build"), QStringLiteral("consumer-test")}});
    Loki::flush();

    const LokiStats stats = Loki::instance()->stats();
    std::printf("consumer: accepted %llu, delivered %llu\n", stats.accepted(), stats.delivered());
    return stats.accepted() == 1 && stats.delivered() == stats.accepted() ? 0 : 1;
}
