// SPDX-License-Identifier: MIT
// Icon-like PNGs to make thumbnails of, the same on every machine: the thumbnails example's test
// (tst_examples) and qforkrpc_bench's W6 make them instead of depending on /usr/share/icons.
// Each is a translucent gradient disc with a few antialiased shapes on a transparent background,
// in icon sizes from 48 to 256 px, its colours and shapes drawn from its index alone. Needs
// Qt6::Gui; QPainter on a QImage works without a QGuiApplication (no text is drawn).
#pragma once

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtGui/QColor>
#include <QtGui/QImage>
#include <QtGui/QPainter>
#include <QtGui/QRadialGradient>

#include <cstdint>

namespace SampleIcons {

// The side of icon `index`: the usual icon sizes, in turn.
inline int iconSide(int index)
{
    static const int sides[] = { 48, 64, 96, 128, 192, 256 };
    return sides[index % 6];
}

// Icon `index`: iconSide(index) px square, ARGB32, deterministic.
inline QImage icon(int index)
{
    std::uint32_t state = 2654435761u * std::uint32_t(index + 1);
    const auto next = [&state](int range) {
        state = state * 1664525u + 1013904223u; // Numerical Recipes' LCG: the same everywhere
        return int((state >> 8) % std::uint32_t(range));
    };
    const int side = iconSide(index);
    QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    QRadialGradient gradient(side * 0.35, side * 0.3, side * 0.8);
    gradient.setColorAt(0, QColor::fromHsv(next(360), 120 + next(100), 255));
    gradient.setColorAt(1, QColor::fromHsv(next(360), 200, 120 + next(80), 230));
    painter.setPen(QPen(QColor(0, 0, 0, 160), side / 32.0));
    painter.setBrush(gradient);
    painter.drawEllipse(QRectF(side * 0.06, side * 0.06, side * 0.88, side * 0.88));
    for (int shape = 0, shapes = 2 + next(4); shape < shapes; ++shape) {
        painter.setBrush(
            QColor::fromHsv(next(360), 80 + next(175), 100 + next(155), 120 + next(135)));
        const QRectF rect(next(side * 2 / 3), next(side * 2 / 3), side / 6 + next(side / 3),
            side / 6 + next(side / 3));
        if (next(2))
            painter.drawRoundedRect(rect, side / 16.0, side / 16.0);
        else
            painter.drawEllipse(rect);
    }
    painter.end();
    return image;
}

// Writes icons 0 .. count-1 as PNGs under `directory`, spread over `subdirectories` folders
// ("set-0/icon-0007.png", ...), and returns their paths relative to `directory` in index order;
// an empty list if one could not be written.
inline QStringList writeIcons(const QString &directory, int count, int subdirectories = 4)
{
    QStringList paths;
    for (int index = 0; index < count; ++index) {
        const QString path = QStringLiteral("set-%1/icon-%2.png")
                                 .arg(index % subdirectories)
                                 .arg(index, 4, 10, QLatin1Char('0'));
        const QString absolute = directory + QLatin1Char('/') + path;
        if (!QDir().mkpath(QFileInfo(absolute).path()) || !icon(index).save(absolute, "png"))
            return {};
        paths << path;
    }
    return paths;
}

} // namespace SampleIcons
