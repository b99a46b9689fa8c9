// SPDX-License-Identifier: MIT
// The language the demo speaks: its own texts and QForkRpc's error messages, both for one locale.
#pragma once

#include <QtCore/QLocale>

// Makes `locale` the default (numbers are written its way) and installs the demo's translation
// and QForkRpc's (QForkRpc::installTranslator()) for it, where there is one. Call it after
// creating the application.
void installTranslations(const QLocale &locale);
