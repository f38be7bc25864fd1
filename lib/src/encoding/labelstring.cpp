// SPDX-License-Identifier: MIT
#include "encoding/labelstring_p.h"

namespace QLoki::detail {

QString prometheusLabelString(const LabelList &labels)
{
    qsizetype size = 2;
    for (const auto &label : labels)
        size += label.first.size() + label.second.size() + 5;

    QString out;
    out.reserve(size);
    out += u'{';
    bool first = true;
    for (const auto &label : labels) {
        if (!first)
            out += QLatin1String(", ");
        first = false;
        out += label.first;
        out += QLatin1String("=\"");
        // Loki parses the string with Go's strconv.Unquote, which takes every other
        // character, control characters included, as it is; only a raw newline is an error.
        for (const QChar c : label.second) {
            switch (c.unicode()) {
            case u'\\': out += QLatin1String("\\\\"); break;
            case u'"': out += QLatin1String("\\\""); break;
            case u'\n': out += QLatin1String("\\n"); break;
            default: out += c; break;
            }
        }
        out += u'"';
    }
    out += u'}';
    return out;
}

} // namespace QLoki::detail
