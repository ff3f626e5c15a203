#pragma once
/// The app's state shared by every screen: the Client of the configured data directory, the
/// unlocked Account (none when locked), and the live events of the chain for that account.
///
/// Workers capture the shared_ptrs, so locking or switching account never destroys an object
/// under a call in flight; Account::lock() wipes the key at once, and that call fails with
/// permission_denied. Events arrive on the client's watcher thread and are re-posted to the UI
/// thread (callbacks never touch widgets), where `event` is emitted.
#include <QObject>
#include <QString>
#include <memory>

#include "dossier/client/client.hpp"

namespace dossier::desktop {

class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(std::shared_ptr<client::Client> client, QObject* parent = nullptr);
    ~Session() override;

    [[nodiscard]] std::shared_ptr<client::Client> client() const { return client_; }
    /// Replaces the client (new settings); only while no account is unlocked.
    void set_client(std::shared_ptr<client::Client> client);

    /// The unlocked account, or null.
    [[nodiscard]] std::shared_ptr<client::Account> account() const { return account_; }
    [[nodiscard]] bool is_unlocked() const { return account_ != nullptr; }
    [[nodiscard]] client::Role role() const;
    [[nodiscard]] client::Address address() const;

    /// Takes an account unlocked by Client::unlock() (on a worker) and starts its live events.
    void set_account(std::unique_ptr<client::Account> account);
    /// Wipes the key and forgets the account (the idle lock, the Lock button, closing).
    void lock();

    /// Tells every screen that something this app did changed the chain (they refresh).
    void notify_changed() { emit changed(); }

signals:
    void unlocked();
    void locked();
    /// A live event of the chain concerning this account (a request, a grant, a record...).
    void event(const dossier::client::Event& event);
    /// Something changed: an event arrived or this app wrote.
    void changed();

private:
    void start_watch();

    std::shared_ptr<client::Client> client_;
    std::shared_ptr<client::Account> account_;
    std::unique_ptr<client::Handler> watch_;
};

}  // namespace dossier::desktop
