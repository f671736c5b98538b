// IaCScan module
