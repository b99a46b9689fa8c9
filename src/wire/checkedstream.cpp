// SPDX-License-Identifier: MIT
#include "wire/checkedstream_p.h"

#include <QtCore/QIODevice>

namespace QForkRpcDetail {

bool readCheckedCount(QDataStream &in, quint32 *count)
{
    in >> *count;
    if (in.status() != QDataStream::Ok)
        return false;
    if (!in.device() || *count > in.device()->bytesAvailable()) {
        in.setStatus(QDataStream::ReadCorruptData);
        return false;
    }
    return true;
}

} // namespace QForkRpcDetail
