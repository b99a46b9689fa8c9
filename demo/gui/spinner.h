// SPDX-License-Identifier: MIT
// Something that keeps moving: a spinning wheel driven by an animation in the GUI thread. If the
// GUI thread ever waited for a worker, the wheel would stop; it also measures the longest gap
// between two of its frames, which stays at a few frames' length while the workers are busy.
#pragma once

#include <QtCore/QElapsedTimer>
#include <QtWidgets/QWidget>

class QVariantAnimation;

class Spinner : public QWidget
{
    Q_OBJECT

public:
    explicit Spinner(QWidget *parent = nullptr);

    QSize sizeHint() const override { return { 72, 72 }; }

    // The longest gap between two frames since the last reset, in milliseconds.
    qint64 longestPauseMs() const { return m_longestPauseMs; }
    qint64 frames() const { return m_frames; }
    void resetPauses();

Q_SIGNALS:
    void longestPauseChanged(qint64 ms);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void onFrame(const QVariant &angle);

    QVariantAnimation *m_animation;
    qreal m_angle = 0;
    QElapsedTimer m_sinceLastFrame;
    qint64 m_longestPauseMs = 0;
    qint64 m_frames = 0;
};
