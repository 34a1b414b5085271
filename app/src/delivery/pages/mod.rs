//! The delivery's screens: its state beside an issue, and its settings.

mod settings_page;
mod status;

pub use settings_page::DeliverySettingsPage;
pub use status::DeliveryStatus;
