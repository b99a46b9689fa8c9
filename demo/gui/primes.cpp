// SPDX-License-Identifier: MIT
#include "primes.h"

#include <algorithm>

PrimeCounter::PrimeCounter(qint64 from, qint64 to)
    : m_from(std::max<qint64>(0, from))
    , m_to(std::max(m_from, to))
    , m_next(m_from)
{ }

void PrimeCounter::step(qint64 count)
{
    const qint64 end = std::min(m_to, m_next + std::max<qint64>(1, count));
    for (; m_next < end; ++m_next) {
        if (isPrime(m_next))
            ++m_primes;
    }
}

bool PrimeCounter::isPrime(qint64 n)
{
    if (n < 2)
        return false;
    if (n < 4)
        return true;
    if (n % 2 == 0)
        return false;
    for (qint64 divisor = 3; divisor * divisor <= n; divisor += 2) {
        if (n % divisor == 0)
            return false;
    }
    return true;
}
