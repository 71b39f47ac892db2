"""/articles, the feed, one article and its favorite (packages/api/src/routes/articles.ts)."""

from __future__ import annotations

from typing import Final

from litestar import Response, delete, get, post, put
from litestar.handlers import HTTPRouteHandler

from arena_api.errors import forbidden, not_found
from arena_api.http import json_response, query_params
from arena_api.presenters import present_article, present_article_summary
from arena_api.reading_time import reading_minutes
from arena_api.routes.context import AnyRequest, RouteDeps, optional_viewer_id, require_viewer
from arena_api.slug import slugify
from arena_api.store import (
    UNSET,
    ArticleChanges,
    ArticleFilter,
    ArticlePage,
    ArticleRecord,
    ConflictError,
    NewArticleRecord,
    Page,
)
from arena_api.validation import (
    article_list_query,
    new_article_input,
    page_query,
    path_key,
    update_article_input,
)

SLUG_ATTEMPTS: Final = 3


def _one(article: ArticleRecord | None, status: int = 200) -> Response[bytes]:
    if article is None:
        raise not_found("article")
    return json_response({"article": present_article(article)}, status)


def _many(page: ArticlePage) -> Response[bytes]:
    return json_response(
        {"articles": [present_article_summary(article) for article in page.articles], "articlesCount": page.articles_count}
    )


def _distinct(tags: list[str]) -> list[str]:
    """Tags as a set, in first-seen order: the same tag twice is one tag."""
    return list(dict.fromkeys(tags))


def article_routes(deps: RouteDeps) -> list[HTTPRouteHandler]:
    async def owned_article(slug: str, user_id: int) -> int:
        """The article's id when the signed-in user wrote it: 404, then 403."""
        owner = await deps.store.find_article_owner(slug)
        if owner is None:
            raise not_found("article")
        if owner.author_id != user_id:
            raise forbidden("article")
        return owner.article_id

    # Litestar prefers the static segment, so "feed" is never read as a slug.
    @get("/articles/feed")
    async def feed(request: AnyRequest) -> Response[bytes]:
        viewer = await require_viewer(deps, request)
        query = page_query(query_params(request.scope["query_string"]))
        return _many(await deps.store.list_feed(Page(limit=query.limit, offset=query.offset), viewer.id))

    @get("/articles")
    async def articles(request: AnyRequest) -> Response[bytes]:
        viewer_id = await optional_viewer_id(deps, request)
        query = article_list_query(query_params(request.scope["query_string"]))
        article_filter = ArticleFilter(
            limit=query.limit, offset=query.offset, tag=query.tag, author=query.author, favorited=query.favorited
        )
        return _many(await deps.store.list_articles(article_filter, viewer_id))

    @post("/articles")
    async def create(request: AnyRequest) -> Response[bytes]:
        viewer = await require_viewer(deps, request)
        article = new_article_input(await request.body())
        tags = _distinct(article.tag_list) if isinstance(article.tag_list, list) else []
        minutes = reading_minutes(article.body)
        # The random suffix makes a taken slug very unlikely; if it happens, draw another one.
        attempt = 1
        while True:
            record = NewArticleRecord(
                slug=slugify(article.title),
                title=article.title,
                description=article.description,
                body=article.body,
                reading_minutes=minutes,
                tag_list=tags,
            )
            try:
                return _one(await deps.store.create_article(viewer.id, record), 201)
            except ConflictError as conflict:
                if conflict.field != "slug" or attempt >= SLUG_ATTEMPTS:
                    raise
            attempt += 1

    @get("/articles/{slug:str}")
    async def one(request: AnyRequest, slug: str) -> Response[bytes]:
        viewer_id = await optional_viewer_id(deps, request)
        return _one(await deps.store.get_article(path_key(slug, "slug"), viewer_id))

    @put("/articles/{slug:str}")
    async def update(request: AnyRequest, slug: str) -> Response[bytes]:
        viewer = await require_viewer(deps, request)
        article = update_article_input(await request.body())
        article_id = await owned_article(path_key(slug, "slug"), viewer.id)
        body = article.body
        tags = article.tag_list
        changes = ArticleChanges(
            title=article.title,
            description=article.description,
            body=body,
            reading_minutes=reading_minutes(body) if isinstance(body, str) else UNSET,
            tag_list=_distinct(tags) if isinstance(tags, list) else UNSET,
        )
        return _one(await deps.store.update_article(article_id, changes, viewer.id))

    @delete("/articles/{slug:str}", status_code=204)
    async def remove(request: AnyRequest, slug: str) -> None:
        viewer = await require_viewer(deps, request)
        await deps.store.delete_article(await owned_article(path_key(slug, "slug"), viewer.id))

    @post("/articles/{slug:str}/favorite")
    async def favorite(request: AnyRequest, slug: str) -> Response[bytes]:
        viewer = await require_viewer(deps, request)
        return _one(await deps.store.favorite_article(path_key(slug, "slug"), viewer.id))

    @delete("/articles/{slug:str}/favorite", status_code=200)
    async def unfavorite(request: AnyRequest, slug: str) -> Response[bytes]:
        viewer = await require_viewer(deps, request)
        return _one(await deps.store.unfavorite_article(path_key(slug, "slug"), viewer.id))

    return [feed, articles, create, one, update, remove, favorite, unfavorite]
