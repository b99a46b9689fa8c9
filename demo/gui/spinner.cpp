// SPDX-License-Identifier: MIT
#include "spinner.h"

#include <QtCore/QVariantAnimation>
#include <QtGui/QPainter>

namespace {
constexpr int spokes = 12;
}

Spinner::Spinner(QWidget *parent)
    : QWidget(parent)
    , m_animation(new QVariantAnimation(this))
{
    setMinimumSize(48, 48);
    m_animation->setStartValue(0.0);
    m_animation->setEndValue(360.0);
    m_animation->setDuration(1200);
    m_animation->setLoopCount(-1);
    connect(m_animation, &QVariantAnimation::valueChanged, this, &Spinner::onFrame);
    m_animation->start();
    m_sinceLastFrame.start();
}

void Spinner::resetPauses()
{
    m_longestPauseMs = 0;
    m_sinceLastFrame.restart();
    Q_EMIT longestPauseChanged(0);
}

void Spinner::onFrame(const QVariant &angle)
{
    const qint64 pause = m_sinceLastFrame.restart();
    ++m_frames;
    if (pause > m_longestPauseMs) {
        m_longestPauseMs = pause;
        Q_EMIT longestPauseChanged(pause);
    }
    m_angle = angle.toReal();
    update();
}

void Spinner::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal side = qMin(width(), height());
    painter.translate(width() / 2.0, height() / 2.0);
    painter.scale(side / 100.0, side / 100.0);
    painter.rotate(m_angle);

    QColor color = palette().color(QPalette::Highlight);
    for (int spoke = 0; spoke < spokes; ++spoke) {
        // The spoke at the front is solid; the ones behind it fade out like a trail.
        color.setAlphaF(1.0 - 0.8 * spoke / spokes);
        painter.setPen(QPen(color, 8, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(0, -22), QPointF(0, -42));
        painter.rotate(-360.0 / spokes);
    }
}
