#pragma once
/// What a person is told when a call fails: the client's sentence, then what to do about it,
/// chosen by the error's code (never by matching English text).
#include <QString>

#include "app/task.hpp"

namespace dossier::desktop {

/// A short title for the code ("Wrong password", "Node not reachable", ...).
[[nodiscard]] QString failure_title(ErrorCode code);
/// What to do next, one sentence, or empty when the message says it all.
[[nodiscard]] QString failure_advice(const Failure& failure);
/// message + advice, for a banner or a dialog.
[[nodiscard]] QString failure_text(const Failure& failure);

}  // namespace dossier::desktop
