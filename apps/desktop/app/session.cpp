#include "app/session.hpp"

#include <QMetaObject>

namespace dossier::desktop {

Session::Session(std::shared_ptr<client::Client> client, QObject* parent) : QObject(parent), client_(std::move(client)) {}

// The handler is disconnected first: its callback posts to this object.
Session::~Session() {
    watch_.reset();
    if (account_) account_->lock();
}

void Session::set_client(std::shared_ptr<client::Client> client) {
    if (account_) lock();
    client_ = std::move(client);
}

client::Role Session::role() const { return account_ ? account_->info().role : client::Role::patient; }

client::Address Session::address() const { return account_ ? account_->address() : client::Address{}; }

void Session::set_account(std::unique_ptr<client::Account> account) {
    watch_.reset();
    if (account_) account_->lock();
    account_ = std::shared_ptr<client::Account>(std::move(account));
    start_watch();
    emit unlocked();
}

void Session::lock() {
    watch_.reset();
    if (!account_) return;
    account_->lock();
    account_.reset();
    emit locked();
}

void Session::start_watch() {
    if (!account_) return;
    // A patient watches its own trail; a doctor the events that concern it (requests, grants,
    // reads) in every trail; the authority everything (registrations of doctors).
    client::EventFilter filter;
    switch (account_->info().role) {
        case client::Role::patient: filter.patient = account_->address(); break;
        case client::Role::doctor: filter.doctor = account_->address(); break;
        case client::Role::admin: break;
    }
    try {
        watch_ = client_->watch(filter, [this](const client::Event& e) {
            QMetaObject::invokeMethod(
                this,
                [this, e] {
                    emit event(e);
                    emit changed();
                },
                Qt::QueuedConnection);
        });
    } catch (const Error&) {
        // No live events (the node is down): screens still refresh on their own actions.
        watch_.reset();
    }
}

}  // namespace dossier::desktop
