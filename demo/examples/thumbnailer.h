// SPDX-License-Identifier: MIT
// The work of one thumbnail: read an image at the size of its thumbnail and write that as a PNG.
// One piece for both users: the thumbnails example runs it in QForkRpcPool workers, and
// qforkrpc_bench's W6 runs it there and in QtConcurrent::mapped threads, so both sides of that
// comparison do exactly this. Header-only, it needs Qt6::Gui (QImageReader, QImageWriter).
#pragma once

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSize>
#include <QtCore/QString>
#include <QtGui/QImage>
#include <QtGui/QImageReader>
#include <QtGui/QImageWriter>

#include <malloc.h>

namespace Thumbnailer {

// The size of the thumbnail of an image of `size`: scaled down, keeping its aspect ratio, to fit
// in maxSide x maxSide; an image that fits already keeps its size (never scaled up).
inline QSize thumbnailSize(const QSize &size, int maxSide)
{
    if (!size.isValid() || (size.width() <= maxSide && size.height() <= maxSide))
        return size;
    return size.scaled(maxSide, maxSide, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
}

// For a worker process that makes one thumbnail after the other: keep the memory that one image
// freed for the next, instead of glibc's default of giving the heap's top back above 128 KiB
// (brk) and of mapping and unmapping blocks from 128 KiB up (its dynamic threshold moves only
// so far). Each of those returns costs the next image fresh pages to fault in, and each unmap a
// TLB flush that, for a process that last ran on the other CPU, interrupts that CPU too: profiled
// on a 2-core VM (qforkrpc_bench W6), TLB flushes were a sixth of a worker's samples and page
// faults another 6%, and a worker spent half as much CPU again per thumbnail as in-process
// threads; with this, the same as they. Blocks of 16 MiB and more (an image of over 2000 x
// 2000 px) are still mapped and unmapped; at most 32 MiB free stay in the heap. glibc only; call
// it once, early (an init function), in a process that runs nothing else.
inline void keepFreedMemory()
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
#endif
}

// Reads the image `input`, decoded straight to its thumbnail's size as a real thumbnailer does
// (QImageReader::setScaledSize: formats that can decode at a smaller size do, the others are
// scaled once after decoding, with smooth filtering), and writes it as a PNG to `output`, making
// its directory if needed. True with the thumbnail's size in `*written`; false with the reason in
// `*error`.
inline bool makeThumbnail(
    const QString &input, const QString &output, int maxSide, QSize *written, QString *error)
{
    QImageReader reader(input);
    const QSize size = reader.size(); // from the header, without decoding
    if (!size.isValid()) {
        *error = reader.errorString();
        return false;
    }
    const QSize target = thumbnailSize(size, maxSide);
    if (target != size)
        reader.setScaledSize(target);
    const QImage image = reader.read();
    if (image.isNull()) {
        *error = reader.errorString();
        return false;
    }
    const QString directory = QFileInfo(output).path();
    if (!QDir(directory).exists() && !QDir().mkpath(directory)) {
        *error = QStringLiteral("cannot create %1").arg(directory);
        return false;
    }
    QImageWriter writer(output, "png");
    if (!writer.write(image)) {
        *error = writer.errorString();
        return false;
    }
    *written = image.size();
    return true;
}

} // namespace Thumbnailer
