"""Every API router, assembled in one list."""

from fastapi import APIRouter

from app.api.routes import articles, health, people, search

ROUTERS: tuple[APIRouter, ...] = (articles.router, search.router, people.router, health.router)
