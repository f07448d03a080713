//! The user use cases the HTTP layer calls, on a real (SQLite) store.

mod store_support;

use server::{
    domain::{DisplayName, DomainError, Email, Password, Username, Version},
    passwords::{BcryptCost, PasswordHasher},
    store::Conflict,
    users::{ProfileChanges, Registration, UserError, Users},
};
use store_support::TestStore;

fn users(fixture: &TestStore) -> Users {
    Users::new(
        fixture.store.clone(),
        PasswordHasher::new(BcryptCost::insecure_for_tests(4), 2),
    )
}

fn signup(username: &str, email: &str, password: &str) -> Registration {
    Registration {
        username: Username::parse(username).unwrap(),
        email: Email::parse(email).unwrap(),
        name: DisplayName::parse("Someone").unwrap(),
        password: Password::parse(password).unwrap(),
    }
}

fn password(text: &str) -> Password {
    Password::parse(text).unwrap()
}

#[tokio::test]
async fn sign_up_returns_the_stored_user_and_refuses_taken_names_and_emails() {
    let fixture = TestStore::sqlite().await;
    let users = users(&fixture);
    let ada = users
        .register(signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    assert_eq!(ada.username.as_str(), "ada");
    assert_eq!(ada.version, Version::new(1));

    let again = users
        .register(signup("ADA", "other@example.com", "password one"))
        .await;
    assert_eq!(again.unwrap_err().conflict(), Some(Conflict::UsernameTaken));
    let again = users
        .register(signup("bob", "Ada@Example.com", "password one"))
        .await;
    assert_eq!(again.unwrap_err().conflict(), Some(Conflict::EmailTaken));
    fixture.finish().await;
}

#[tokio::test]
async fn profile_updates_honour_the_expected_version() {
    let fixture = TestStore::sqlite().await;
    let users = users(&fixture);
    let ada = users
        .register(signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    let rename = |name: &str| ProfileChanges {
        name: Some(DisplayName::parse(name).unwrap()),
        email: None,
    };

    let updated = users
        .update_profile(ada.id, Some(ada.version), rename("Countess"))
        .await
        .unwrap();
    assert_eq!(updated.name.as_str(), "Countess");
    assert_eq!(updated.version, Version::new(2));

    let stale = users
        .update_profile(ada.id, Some(ada.version), rename("Lost"))
        .await;
    assert_eq!(
        stale.unwrap_err().conflict(),
        Some(Conflict::StaleVersion {
            expected: Version::new(1),
            actual: Version::new(2)
        })
    );
    let unchanged = users
        .update_profile(ada.id, None, rename("Countess"))
        .await
        .unwrap();
    assert_eq!(unchanged.version, Version::new(2), "no change, no event");
    fixture.finish().await;
}

#[tokio::test]
async fn concurrent_updates_without_an_expected_version_both_land() {
    let fixture = TestStore::sqlite().await;
    let users = users(&fixture);
    let ada = users
        .register(signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    let name = ProfileChanges {
        name: Some(DisplayName::parse("New name").unwrap()),
        email: None,
    };
    let email = ProfileChanges {
        name: None,
        email: Some(Email::parse("new@example.com").unwrap()),
    };
    let (a, b) = tokio::join!(
        users.update_profile(ada.id, None, name),
        users.update_profile(ada.id, None, email)
    );
    a.unwrap();
    b.unwrap();
    let now = fixture.store.users.by_id(ada.id).await.unwrap().unwrap();
    assert_eq!(
        (now.name.as_str(), now.email.as_str()),
        ("New name", "new@example.com")
    );
    assert_eq!(now.version, Version::new(3));
    fixture.finish().await;
}

#[tokio::test]
async fn logins_check_the_current_password_by_username_or_email() {
    let fixture = TestStore::sqlite().await;
    let users = users(&fixture);
    let ada = users
        .register(signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    let found = |login: &'static str, pw: &'static str| {
        let users = users.clone();
        async move {
            users
                .authenticate(login, &password(pw))
                .await
                .unwrap()
                .map(|u| u.id)
        }
    };
    assert_eq!(found("ada", "password one").await, Some(ada.id));
    assert_eq!(found("ADA@example.com", "password one").await, Some(ada.id));
    assert_eq!(found("ada", "password two").await, None);
    assert_eq!(found("nobody", "password one").await, None);

    users
        .change_password(ada.id, None, &password("password two"))
        .await
        .unwrap();
    assert_eq!(found("ada", "password one").await, None);
    assert_eq!(found("ada", "password two").await, Some(ada.id));
    fixture.finish().await;
}

#[tokio::test]
async fn a_deleted_user_is_gone_refuses_commands_and_frees_the_name() {
    let fixture = TestStore::sqlite().await;
    let users = users(&fixture);
    let ada = users
        .register(signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    assert_eq!(
        users.delete(ada.id, Some(ada.version)).await.unwrap(),
        Version::new(2)
    );

    assert!(fixture.store.users.by_id(ada.id).await.unwrap().is_none());
    assert!(users
        .authenticate("ada", &password("password one"))
        .await
        .unwrap()
        .is_none());
    let refused = users
        .change_password(ada.id, None, &password("password two"))
        .await;
    assert!(matches!(
        refused,
        Err(UserError::Domain(DomainError::Deleted))
    ));
    let refused = users.delete(ada.id, None).await;
    assert!(matches!(
        refused,
        Err(UserError::Domain(DomainError::Deleted))
    ));
    let missing = users.delete(server::domain::Id::generate(), None).await;
    assert!(matches!(
        missing,
        Err(UserError::Domain(DomainError::NotFound))
    ));

    let history = users.history(ada.id).await.unwrap();
    assert_eq!(history.len(), 2, "the history stays for the audit");
    users
        .register(signup("ada", "ada@example.com", "password one"))
        .await
        .expect("the name and email are free again");
    fixture.finish().await;
}

#[tokio::test]
async fn demo_data_is_added_only_to_an_empty_store() {
    let fixture = TestStore::sqlite().await;
    let users = users(&fixture);
    server::seed::demo(&fixture.store, &users).await.unwrap();
    server::seed::demo(&fixture.store, &users).await.unwrap();
    assert_eq!(fixture.store.users.count().await.unwrap(), 3);
    let page = server::store::Page::first(server::store::Limit::clamped(100));
    assert_eq!(fixture.store.tweets.list(page).await.unwrap().len(), 4);
    let ada = users
        .authenticate("ada", &password("ada-demo-password"))
        .await
        .unwrap();
    assert!(ada.is_some(), "the documented demo password works");
    fixture.finish().await;
}
