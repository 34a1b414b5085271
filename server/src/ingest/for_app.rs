//! The ingestion pipeline as the web app sees it ([`Ingestion`]): discovery
//! when a feed is added, "refresh now", and reading a page added by hand.

use newsdesk_app::{
    error::AppError,
    feeds::model::{DiscoveredFeed, RefreshOutcome},
    inbox::PageInfo,
    state::{BoxFuture, Ingestion},
};

use super::{discover::discover_feeds, fetch::Fetcher, page_info::read_page, Ingest};

pub struct AppIngestion {
    ingest: Ingest,
    fetcher: Fetcher,
}

impl AppIngestion {
    pub fn new(ingest: Ingest, fetcher: Fetcher) -> Self {
        Self { ingest, fetcher }
    }
}

impl Ingestion for AppIngestion {
    fn discover(&self, url: String) -> BoxFuture<Result<Vec<DiscoveredFeed>, AppError>> {
        let fetcher = self.fetcher.clone();
        Box::pin(async move {
            discover_feeds(&fetcher, &url)
                .await
                .map_err(|error| AppError::invalid("url", error.to_string()))
        })
    }

    fn refresh_now(&self, feed_id: i64) -> BoxFuture<Result<Option<RefreshOutcome>, AppError>> {
        let ingest = self.ingest.clone();
        Box::pin(async move {
            let report = ingest.refresh_one(feed_id).await?;
            Ok(report.map(|report| RefreshOutcome {
                new: report.counts.new,
                updated: report.counts.updated,
                not_modified: report.not_modified,
                error: report.error,
            }))
        })
    }

    fn read_page(&self, url: String) -> BoxFuture<Result<PageInfo, AppError>> {
        let fetcher = self.fetcher.clone();
        Box::pin(async move {
            read_page(&fetcher, &url)
                .await
                .map_err(|error| AppError::invalid("url", error.to_string()))
        })
    }
}
