// SPDX-License-Identifier: MIT
// The work the demo's workers do: counting the primes in a range of numbers by trial division.
// It is the slow, honest way on purpose, so that one job keeps a worker busy for a while; it is
// done in steps so that a worker can report progress between them.
#pragma once

#include <QtCore/QtGlobal>

class PrimeCounter
{
public:
    // Counts the primes in [from, to).
    PrimeCounter(qint64 from, qint64 to);

    // Examines the next `count` numbers of the range (fewer at its end).
    void step(qint64 count);

    bool atEnd() const { return m_next >= m_to; }
    qint64 total() const { return m_to - m_from; }
    qint64 done() const { return m_next - m_from; }
    qint64 primes() const { return m_primes; }

    static bool isPrime(qint64 n);

private:
    qint64 m_from;
    qint64 m_to;
    qint64 m_next;
    qint64 m_primes = 0;
};
