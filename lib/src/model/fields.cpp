// SPDX-License-Identifier: MIT
#include "model/fieldjson_p.h"
#include "model/fields_p.h"

#include <QtCore/QAssociativeIterable>

#include <algorithm>

namespace QLoki::detail {

namespace {

bool nameLess(const QPair<QString, QString> &a, const QPair<QString, QString> &b)
{
    return a.first < b.first;
}

} // namespace

void splitFields(const QVariantMap &fields, LabelList *labels, LabelList *metadata)
{
    static const QString labelPrefix = QStringLiteral("label_");
    static const QString labelsKey = QStringLiteral("labels");

    LabelList outLabels;
    LabelList validMeta;
    LabelList repairedMeta;
    QVariant labelMap;

    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        const QString &key = it.key();
        if (key.startsWith(labelPrefix)) {
            // The map is sorted by key and all these keys share the prefix, so the
            // stripped names arrive sorted too.
            if (labels)
                outLabels.append({key.mid(labelPrefix.size()), renderValue(it.value())});
        } else if (key == labelsKey && isAssociativeContainer(it.value().metaType())) {
            labelMap = it.value();
        } else if (metadata) {
            if (isValidLabelName(key))
                validMeta.append({key, renderValue(it.value())});
            else
                repairedMeta.append({key, renderValue(it.value())});
        }
    }

    if (labels) {
        if (labelMap.isValid()) {
            const qsizetype fromPrefix = outLabels.size();
            const auto add = [&](const QString &name, const QVariant &value) {
                const auto end = outLabels.cbegin() + fromPrefix;
                const auto pos = std::lower_bound(outLabels.cbegin(), end,
                                                  QPair<QString, QString>(name, QString()),
                                                  nameLess);
                if (pos != end && pos->first == name)
                    return; // a label_<name> key wins over the map
                outLabels.append({name, renderValue(value)});
            };
            if (labelMap.typeId() == QMetaType::QVariantMap) {
                const QVariantMap map = labelMap.toMap();
                for (auto it = map.cbegin(); it != map.cend(); ++it)
                    add(it.key(), it.value());
            } else {
                const QAssociativeIterable iterable = labelMap.value<QAssociativeIterable>();
                for (auto it = iterable.begin(); it != iterable.end(); ++it)
                    add(renderValue(it.key()), it.value());
            }
            std::stable_sort(outLabels.begin(), outLabels.end(), nameLess);
            // Keys of other types can render to the same text; the first one is kept.
            const auto last = std::unique(outLabels.begin(), outLabels.end(),
                                          [](const auto &a, const auto &b) {
                                              return a.first == b.first;
                                          });
            outLabels.erase(last, outLabels.end());
        }
        *labels = std::move(outLabels);
    }
    if (metadata)
        *metadata = mergeMetadata(std::move(validMeta), repairedMeta);
}

} // namespace QLoki::detail
