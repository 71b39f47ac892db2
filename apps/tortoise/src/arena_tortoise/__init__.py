"""The Tortoise ORM app of orm-arena: the RealWorld API over Tortoise (asyncpg), migrated by Aerich."""
