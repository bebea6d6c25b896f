//! Pagination on the client: a [`Stream`] of pages or of items over any pageable action.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde_json::Value;

use super::{BoxFuture, Client};
use crate::paginate::{self, PageInfo};
use crate::Error;

impl Client {
    /// The pages of `action` (a `Response` object each), starting from `params` (`Offset` 0
    /// and the default `Limit` unless given). Errors end the stream after being yielded.
    ///
    /// ```no_run
    /// # async fn demo(client: essbasic::client::Client) -> Result<(), essbasic::Error> {
    /// use serde_json::json;
    /// let mut templates = client.items("DescribeTemplates", &json!({"Agent": {"AppId": "yD..."}}))?;
    /// while let Some(template) = templates.next().await {
    ///     println!("{}", template?["TemplateName"]);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(&self, action: &str, params: &Value) -> Result<Pages, Error> {
        let info = paginate::pageable(action).ok_or_else(|| not_pageable(action))?;
        self.pages_with(info, params)
    }

    /// [`pages`](Self::pages) with an explicit [`PageInfo`] (e.g. another offset unit).
    pub fn pages_with(&self, info: PageInfo, params: &Value) -> Result<Pages, Error> {
        crate::validate::lookup_action(info.action)?;
        let first = paginate::first_page_with(&info, params)?;
        Ok(Pages {
            client: self.clone(),
            info,
            next_params: Some(first),
            in_flight: None,
        })
    }

    /// The items of every page of `action`, one by one.
    pub fn items(&self, action: &str, params: &Value) -> Result<Items, Error> {
        Ok(Items {
            pages: self.pages(action, params)?,
            buffer: VecDeque::new(),
        })
    }
}

fn not_pageable(action: &str) -> Error {
    match crate::validate::lookup_action(action) {
        Err(e) => e,
        Ok(_) => Error::Validation {
            action: action.to_owned(),
            path: String::new(),
            message: format!("{action} is not a paginated action (no Offset/Limit and item list)"),
        },
    }
}

type InFlight = (Value, BoxFuture<'static, Result<Value, Error>>);

/// A [`Stream`] of the `Response` objects of successive pages.
pub struct Pages {
    client: Client,
    info: PageInfo,
    next_params: Option<Value>,
    in_flight: Option<InFlight>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("action", &self.info.action)
            .field("next_params", &self.next_params)
            .finish_non_exhaustive()
    }
}

impl Pages {
    /// How this action pages.
    pub fn info(&self) -> &PageInfo {
        &self.info
    }

    /// The next page, `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<Value, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for Pages {
    type Item = Result<Value, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.in_flight.is_none() {
            let Some(params) = this.next_params.take() else {
                return Poll::Ready(None);
            };
            let client = this.client.clone();
            let action = this.info.action;
            let sent = params.clone();
            let fut: BoxFuture<'static, Result<Value, Error>> =
                Box::pin(async move { client.call(action, &sent).await });
            this.in_flight = Some((params, fut));
        }
        let (_, fut) = this.in_flight.as_mut().expect("set above");
        let result = match fut.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        let (params, _) = this.in_flight.take().expect("set above");
        Poll::Ready(Some(match result {
            Ok(response) => {
                match paginate::next_page_with(&this.info, &params, &response) {
                    Ok(next) => this.next_params = next,
                    Err(e) => return Poll::Ready(Some(Err(e))),
                }
                Ok(response)
            }
            Err(e) => Err(e),
        }))
    }
}

/// A [`Stream`] of the items of successive pages.
#[derive(Debug)]
pub struct Items {
    pages: Pages,
    buffer: VecDeque<Value>,
}

impl Items {
    /// The next item, `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<Value, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl Stream for Items {
    type Item = Result<Value, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => {
                    this.buffer
                        .extend(paginate::items_with(&this.pages.info, &page));
                }
            }
        }
    }
}
